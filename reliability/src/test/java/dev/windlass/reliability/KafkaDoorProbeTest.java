package dev.windlass.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.DeadLetter;
import dev.windlass.events.EventType;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The Kafka door of the assembled suite, as someone who can write to the requests topic tries it: a request without a
 * token, one signed by a viewer, one with a secret value in the clear. Each is dead-lettered with its rule and no
 * deployment comes of it; a deployer's request written after them goes through.
 */
@Order(3)
class KafkaDoorProbeTest {

    private static final String SECRET = "kafka-door-probe-secret-" + UUID.randomUUID();

    @Test
    void refusedRecordsLeaveNoDeploymentAndTheNextRequestGoesThrough() throws Exception {
        var suite = Reliability.suite();
        Target target = Reliability.target();
        Properties props = new Properties();
        // an outside producer of deploy requests, signed in to Kafka as one
        props.putAll(suite.kafka().clientProperties(dev.windlass.devstack.KafkaAccess.CI_PIPELINE));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Map<UUID, String> expected = new LinkedHashMap<>();
        Map<UUID, UUID> deploymentOf = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, "door-unsigned", null, false, RequestTrust.UNAUTHENTICATED, expected, deploymentOf);
            send(
                    producer,
                    "door-viewer",
                    target.token(DevUser.VIEWER),
                    false,
                    RequestTrust.FORBIDDEN,
                    expected,
                    deploymentOf);
            send(
                    producer,
                    "door-plain",
                    target.token(DevUser.DEPLOYER),
                    true,
                    RequestTrust.PLAINTEXT_SECRET,
                    expected,
                    deploymentOf);
            UUID after = send(producer, "door-after", target.token(DevUser.DEPLOYER), false, null, expected, null);

            Awaitility.await("the deployer's request after the refused ones applied")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> "SUCCEEDED".equals(phase(after)));
        }
        Awaitility.await("every refused record dead-lettered")
                .atMost(Duration.ofMinutes(1))
                .untilAsserted(() -> {
                    for (var entry : expected.entrySet()) {
                        assertThat(rule(entry.getKey()))
                                .as("rule of " + entry.getKey())
                                .isEqualTo(entry.getValue());
                    }
                });
        for (UUID deployment : deploymentOf.values()) {
            assertThat(Reliability.http()
                            .get(suite.gatewayUrl() + "/api/deployments/" + deployment, target.token(DevUser.VIEWER))
                            .status())
                    .as("no deployment from a refused record")
                    .isEqualTo(404);
        }
        String dead = String.join(
                "\n",
                Reliability.tap().records(r -> r.topic().equals(Topics.DEPLOY_REQUESTS_DLQ)).stream()
                        .map(TopicTap.Rec::valueText)
                        .toList());
        assertThat(dead).doesNotContain(SECRET);
        Report report = Reliability.report();
        report.figure("security: Kafka door", "refused records dead-lettered with their rule", expected.size());
        report.write(Reliability.output().resolve("reliability-report.md"));
    }

    private static UUID send(
            KafkaProducer<byte[], byte[]> producer,
            String app,
            String token,
            boolean plaintextSecret,
            String rule,
            Map<UUID, String> expected,
            Map<UUID, UUID> deploymentOf)
            throws Exception {
        UUID deployment = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", app);
        spec.put("image", "registry.example.com/reliability/" + app + ":1");
        spec.put("ports", List.of(Map.of("name", "http", "containerPort", 8080)));
        if (plaintextSecret) {
            spec.put("secretEnv", Map.of("API_TOKEN", SECRET));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("deploymentId", deployment.toString());
        event.put("action", "APPLY");
        event.put("orchestrator", Target.ORCHESTRATOR);
        event.put("namespace", Target.NAMESPACE);
        event.put("app", app);
        event.put("spec", spec);
        event.put("requestedBy", Map.of("subject", "someone-else"));
        event.put("requestedAt", Instant.now().toString());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                Topics.DEPLOY_REQUESTS,
                (Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + app).getBytes(StandardCharsets.UTF_8),
                Fuzz.json(event));
        CloudEventHeaders.of(EventType.DEPLOYMENT_REQUESTED, eventId, "/reliability/door", app, Instant.now())
                .forEach((k, v) -> record.headers().add(k, v));
        if (token != null) {
            record.headers()
                    .add(RequestTrust.AUTHORIZATION_HEADER, ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get(30, TimeUnit.SECONDS);
        if (rule != null) {
            expected.put(eventId, rule);
            deploymentOf.put(eventId, deployment);
        }
        return deployment;
    }

    private static String rule(UUID eventId) throws Exception {
        var records = Reliability.tap()
                .records(r -> r.topic().equals(Topics.DEPLOY_REQUESTS_DLQ)
                        && eventId.toString().equals(r.header(CloudEventHeaders.ID)));
        if (records.isEmpty()) {
            return null;
        }
        JsonNode reason = Target.JSON.readTree(records.get(0).header(DeadLetter.REASON_HEADER));
        return reason.path(0).path("rule").asText();
    }

    private static String phase(UUID id) throws Exception {
        Http.Answer answer = Reliability.http()
                .get(
                        Reliability.suite().gatewayUrl() + "/api/deployments/" + id,
                        Reliability.target().token(DevUser.VIEWER));
        return answer.status() == 200
                ? Target.JSON.readTree(answer.body()).path("phase").asText()
                : "";
    }
}
