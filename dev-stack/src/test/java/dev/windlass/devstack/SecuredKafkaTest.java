package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.windlass.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured broker: SCRAM authentication, ACLs of {@link KafkaAccess}, append-time stamps on the requests. */
class SecuredKafkaTest {

    /** Valid credentials, no ACL. */
    private static final String STRANGER = "stranger";

    private static final String IMAGE_WATCHER = "image-watcher";
    private static final String UNGRANTED_TOPIC = "scratch";
    private static final long PRODUCER_TIME =
            Instant.parse("2001-02-03T04:05:06Z").toEpochMilli();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.createSecured(null, 0, KafkaAccess.windlass().withPrincipal(STRANGER));
        kafka.start();
        kafka.createTopics(
                1,
                Topics.DEPLOY_REQUESTS,
                Topics.DEPLOY_STATUS,
                Topics.DEPLOY_REQUESTS_DLQ,
                Topics.ORCHESTRATOR_EVENTS,
                Topics.APP_HEALTH);
    }

    @AfterAll
    static void closeBroker() {
        kafka.close();
    }

    @Test
    void aPrincipalWithoutAclsCannotProduceRequests() {
        // Not idempotent: a producer id is refused as well, and that refusal must not hide the one asserted.
        try (KafkaProducer<String, String> producer =
                producer(STRANGER, Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            assertThat(sendFailure(producer, Topics.DEPLOY_REQUESTS))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.DEPLOY_REQUESTS);
            // Nor to a topic nobody was granted anything on: no ACL means no access.
            assertThat(sendFailure(producer, UNGRANTED_TOPIC)).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aPrincipalWithoutAclsCannotJoinTheDeployerGroup() {
        // By pattern: topics it may not see are left out silently, so what refuses it is the group, not the topic.
        try (KafkaConsumer<String, String> consumer = consumer(STRANGER, KafkaAccess.DEPLOYER_GROUP)) {
            consumer.subscribe(Pattern.compile(Pattern.quote(Topics.DEPLOY_REQUESTS)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class)
                    .hasMessageContaining(KafkaAccess.DEPLOYER_GROUP);
        }
    }

    @Test
    void aRequestProducerCannotJoinTheDeployerGroup() {
        // It may describe the requests topic (so the subscription itself is not refused), but not join the group.
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.CI_PIPELINE, KafkaAccess.DEPLOYER_GROUP)) {
            consumer.subscribe(List.of(Topics.DEPLOY_REQUESTS));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class)
                    .hasMessageContaining(KafkaAccess.DEPLOYER_GROUP);
        }
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        Map<String, Object> wrongPassword = Map.of(
                "sasl.jaas.config",
                KafkaAccess.saslProperties(KafkaAccess.CI_PIPELINE, "not-" + KafkaAccess.devPassword("ci-pipeline"))
                        .get("sasl.jaas.config"));
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.CI_PIPELINE, wrongPassword)) {
            assertThat(sendFailure(producer, Topics.DEPLOY_REQUESTS)).isInstanceOf(SaslAuthenticationException.class);
        }

        Map<String, Object> unknownUser = Map.of(
                "sasl.jaas.config",
                KafkaAccess.saslProperties("nobody", KafkaAccess.devPassword("nobody"))
                        .get("sasl.jaas.config"));
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.CI_PIPELINE, unknownUser)) {
            assertThat(sendFailure(producer, Topics.DEPLOY_REQUESTS)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aListedProducerWritesRequests() throws Exception {
        // Idempotent, as every client is by default: WRITE on the topic is enough for a producer id.
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.CI_PIPELINE, Map.of())) {
            RecordMetadata written = producer.send(
                            new ProducerRecord<>(Topics.DEPLOY_REQUESTS, "k3s/shop/web", "apply"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(written.topic()).isEqualTo(Topics.DEPLOY_REQUESTS);
            assertThat(written.offset()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void theDeployerReadsRequestsInItsGroup() throws Exception {
        String key = "k3s/shop/consumed";
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.CI_PIPELINE, Map.of())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, key, "apply"))
                    .get(30, TimeUnit.SECONDS);
        }

        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.DEPLOYER, KafkaAccess.DEPLOYER_GROUP)) {
            consumer.subscribe(List.of(Topics.DEPLOY_REQUESTS));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, key);
            consumer.commitSync();

            TopicPartition partition = new TopicPartition(Topics.DEPLOY_REQUESTS, 0);
            OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
            assertThat(committed.offset())
                    .isEqualTo(records.get(records.size() - 1).offset() + 1);
        }
    }

    @Test
    void eachPrincipalIsHeldToItsOwnTopics() {
        try (KafkaProducer<String, String> registry = producer(KafkaAccess.REGISTRY, Map.of())) {
            assertThat(sendFailure(registry, Topics.DEPLOY_REQUESTS)).isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> ci = producer(KafkaAccess.CI_PIPELINE, Map.of())) {
            assertThat(sendFailure(ci, Topics.DEPLOY_STATUS)).isInstanceOf(TopicAuthorizationException.class);
        }
        // A request producer may not read what others asked for (tokens, sealed secrets), even without a group.
        try (KafkaConsumer<String, String> ci = consumer(KafkaAccess.CI_PIPELINE, null)) {
            ci.assign(List.of(new TopicPartition(Topics.DEPLOY_REQUESTS, 0)));
            ci.seekToBeginning(ci.assignment());
            assertThatThrownBy(() -> ci.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theRequestsTopicIsStampedWithTheBrokersAppendTime() throws Exception {
        try (Admin admin = Admin.create(config(KafkaAccess.ADMIN, Map.of()))) {
            ConfigResource requests = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEPLOY_REQUESTS);
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEPLOY_STATUS);
            var configs = admin.describeConfigs(List.of(requests, status)).all().get(30, TimeUnit.SECONDS);
            assertThat(configs.get(requests)
                            .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)
                            .value())
                    .isEqualTo("LogAppendTime");
            assertThat(configs.get(status)
                            .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)
                            .value())
                    .isEqualTo("CreateTime");
        }

        long before = System.currentTimeMillis();
        String key = "k3s/shop/stamped";
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.CI_PIPELINE, Map.of())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, null, PRODUCER_TIME, key, "apply"))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(KafkaAccess.DEPLOYER, Map.of())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_STATUS, null, PRODUCER_TIME, key, "SUCCEEDED"))
                    .get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, String> request = readAsAdmin(Topics.DEPLOY_REQUESTS, key);
        assertThat(request.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(request.timestamp()).isBetween(before, System.currentTimeMillis());
        ConsumerRecord<String, String> status = readAsAdmin(Topics.DEPLOY_STATUS, key);
        assertThat(status.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(status.timestamp()).isEqualTo(PRODUCER_TIME);
    }

    @Test
    void aKeptDataDirectoryKeepsItsAclsAndGainsNewProducers(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.createSecured(dataDir, 0, KafkaAccess.windlass())) {
            first.start();
            first.createTopics(1, Topics.DEPLOY_REQUESTS);
        }

        KafkaAccess more = KafkaAccess.windlass(List.of(KafkaAccess.CI_PIPELINE, IMAGE_WATCHER));
        try (EmbeddedKafka second = EmbeddedKafka.createSecured(dataDir, 0, more)) {
            second.start();
            for (String principal : List.of(KafkaAccess.CI_PIPELINE, IMAGE_WATCHER)) {
                Map<String, Object> config = new HashMap<>(producerConfig());
                config.putAll(second.clientProperties(principal));
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                    producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, principal, "apply"))
                            .get(30, TimeUnit.SECONDS);
                }
            }
            Map<String, Object> registry = new HashMap<>(producerConfig());
            registry.putAll(second.clientProperties(KafkaAccess.REGISTRY));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(registry)) {
                assertThat(sendFailure(producer, Topics.DEPLOY_REQUESTS))
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void aDataDirectoryFormattedWithoutCredentialsIsRefusedClearly(@TempDir Path dataDir) {
        try (EmbeddedKafka plain = EmbeddedKafka.create(dataDir, 0)) {
            plain.start();
        }

        try (EmbeddedKafka secured = EmbeddedKafka.createSecured(dataDir, 0, KafkaAccess.windlass())) {
            assertThatThrownBy(secured::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("formatted without credentials")
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
            assertThat(secured.isRunning()).isFalse();
        }
    }

    @Test
    void theControllerListenerAdmitsOnlyTheSuperUser() throws Exception {
        String controller = "127.0.0.1:" + kafka.controllerPort();
        Map<String, Object> anonymous = Map.of(
                AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG,
                controller,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        Map<String, Object> superUser = new HashMap<>(anonymous);
        superUser.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        superUser.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        superUser.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                        + KafkaAccess.devPassword(KafkaAccess.ADMIN) + "\";");
        try (Admin admin = Admin.create(superUser)) {
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .isNotBlank();
        }
        Map<String, Object> stranger = new HashMap<>(superUser);
        stranger.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"stranger\" password=\""
                        + KafkaAccess.devPassword(STRANGER) + "\";");
        try (Admin admin = Admin.create(stranger)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
        Throwable failure = catchThrowable(
                () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(30, TimeUnit.SECONDS));
        assertThat(failure).as("sending to " + topic).isNotNull();
        return failure instanceof ExecutionException ? failure.getCause() : failure;
    }

    private static ConsumerRecord<String, String> readAsAdmin(String topic, String key) {
        try (KafkaConsumer<String, String> consumer = consumer(KafkaAccess.ADMIN, null)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, key);
            return records.get(records.size() - 1);
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, String key) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return !records.isEmpty()
                    && key.equals(records.get(records.size() - 1).key());
        });
        return records;
    }

    private static KafkaProducer<String, String> producer(String principal, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(producerConfig());
        config.putAll(overrides);
        return new KafkaProducer<>(config(principal, config));
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    }

    private static KafkaConsumer<String, String> consumer(String principal, String group) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config(principal, config));
    }

    /** The principal's client properties under the given ones (which may override them, a password say). */
    private static Map<String, Object> config(String principal, Map<String, Object> config) {
        Map<String, Object> merged = new HashMap<>(kafka.clientProperties(principal));
        merged.putAll(config);
        return merged;
    }
}
