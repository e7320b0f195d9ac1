package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.windlass.events.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.create(null, 0);
        kafka.start();
    }

    @AfterAll
    static void closeBroker() {
        Path dataDir = kafka.dataDir();
        kafka.close();
        assertThat(kafka.isRunning()).isFalse();
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void recordTravelsFromProducerToConsumer() throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            ProducerRecord<String, String> record = new ProducerRecord<>("greetings", "cluster-7", "registered");
            record.headers().add("trace-id", "abc-123".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> records = consumeAll("greetings", 1);

        ConsumerRecord<String, String> received = records.get(0);
        assertThat(received.key()).isEqualTo("cluster-7");
        assertThat(received.value()).isEqualTo("registered");
        assertThat(new String(received.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8))
                .isEqualTo("abc-123");
    }

    @Test
    void dataSurvivesAStopAndTheSamePortServesAgain() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Map<String, Object> impatient = Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000);
        kafka.createTopics(1, "outage");
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("outage", "k", "before")).get(30, TimeUnit.SECONDS);
        }

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        try (ServerSocket freed = new ServerSocket(kafka.port(), 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(freed.getLocalPort()).isEqualTo(kafka.port());
        }
        try (KafkaProducer<String, String> producer = producer(impatient)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("outage", "k", "during"))
                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
        kafka.start();
        assertThat(kafka.isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);

        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("outage", "k", "after")).get(30, TimeUnit.SECONDS);
        }
        assertThat(consumeAll("outage", 2)).extracting(ConsumerRecord::value).containsExactly("before", "after");
    }

    @Test
    void createTopicsCreatesThePartitionsAndIsIdempotent() throws Exception {
        kafka.createTopics(3, "deployments", "clusters");
        assertThatCode(() -> kafka.createTopics(3, "deployments", "clusters")).doesNotThrowAnyException();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("deployments", "clusters"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics.values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        }
    }

    @Test
    void theRequestsTopicIsStampedWithTheAppendTimeAlsoWhenAClientMadeItFirst() throws Exception {
        long producerTime = Instant.parse("2001-02-03T04:05:06Z").toEpochMilli();
        // Made on first use, with the broker's default CreateTime.
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, null, producerTime, "k", "early"))
                    .get(30, TimeUnit.SECONDS);
        }

        kafka.createTopics(1, Topics.DEPLOY_REQUESTS);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEPLOY_REQUESTS);
            assertThat(admin.describeConfigs(List.of(topic))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)
                            .value())
                    .isEqualTo("LogAppendTime");
        }
        long before = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, null, producerTime, "k", "late"))
                    .get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<String, String>> records = consumeAll(Topics.DEPLOY_REQUESTS, 2);
        assertThat(records)
                .extracting(ConsumerRecord::value, ConsumerRecord::timestampType)
                .containsExactly(
                        tuple("early", TimestampType.CREATE_TIME), tuple("late", TimestampType.LOG_APPEND_TIME));
        assertThat(records.get(1).timestamp()).isGreaterThanOrEqualTo(before);
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.LINGER_MS_CONFIG,
                0));
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        assertThat(records).hasSize(expected);
        return records;
    }
}
