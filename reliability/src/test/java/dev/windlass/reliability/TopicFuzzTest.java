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
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Bad records on the deploy topic, as a producer allowed to deploy could write them (each carries a deployer's access
 * token): random bytes, valid JSON with invalid specs or an unknown orchestrator, wrong CloudEvents headers. Each must
 * land in the dead-letter topic with its reason, and a valid request written after all of them must still be carried
 * out (the consumer did not stall).
 */
@Order(3)
class TopicFuzzTest {

    private static final Reliability.Settings SETTINGS = Reliability.Settings.current();
    private static final List<String> KINDS = List.of("random bytes", "invalid spec", "wrong headers");

    @Test
    void badRecordsAreDeadLetteredWithTheirReasonAndTheConsumerMovesOn() throws Exception {
        var suite = Reliability.suite();
        Map<String, String> kindByKey = new LinkedHashMap<>();
        Properties props = new Properties();
        // an outside producer of deploy requests, signed in to Kafka as one
        props.putAll(suite.kafka().clientProperties(dev.windlass.devstack.KafkaAccess.CI_PIPELINE));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Seeds.seeds("deploy topic", SETTINGS.topicFuzz(), KINDS.size()).forEach(seed -> {
                Fuzz fuzz = new Fuzz(seed);
                int kind = (int) (seed % KINDS.size());
                String key = "fuzz/" + seed;
                kindByKey.put(key, KINDS.get(kind));
                ProducerRecord<byte[], byte[]> record = switch (kind) {
                    case 0 -> record(key, fuzz.bytes(5000), headers(UUID.randomUUID()));
                    case 1 -> record(key, json(invalidSpec(fuzz)), headers(UUID.randomUUID()));
                    default -> record(key, json(valid("fz-headers", fuzz)), wrongHeaders(fuzz));
                };
                producer.send(record);
            });
            // after all of them, one valid request, keyed like any app's
            UUID after = UUID.randomUUID();
            Map<String, Object> valid = valid("fz-after", new Fuzz(1));
            valid.put("deploymentId", after.toString());
            producer.send(record(
                            Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/fz-after",
                            json(valid),
                            headers(UUID.randomUUID())))
                    .get(30, TimeUnit.SECONDS);
            long sent = System.nanoTime();

            Awaitility.await("the valid request after the bad ones applied")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> "SUCCEEDED".equals(phase(after)));
            long appliedAfter = (System.nanoTime() - sent) / 1_000_000;

            Awaitility.await("every bad record dead-lettered")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> deadLettered(kindByKey.keySet()).size() == kindByKey.size());
            Map<String, TopicTap.Rec> dead = deadLettered(kindByKey.keySet());
            Map<String, Integer> rules = new TreeMap<>();
            for (var entry : dead.entrySet()) {
                String reason = entry.getValue().header(DeadLetter.REASON_HEADER);
                assertThat(reason).as("reason of " + entry.getKey()).isNotBlank();
                JsonNode violations = Target.JSON.readTree(reason);
                assertThat(violations.isArray() && violations.size() > 0)
                        .as("reason of " + entry.getKey() + ": " + reason)
                        .isTrue();
                violations.forEach(v -> rules.merge(v.get("rule").asText(), 1, Integer::sum));
                assertThat(entry.getValue().header(DeadLetter.SOURCE_OFFSET_HEADER))
                        .isNotBlank();
            }
            long dlqCount = Reliability.tap()
                    .records(r -> r.topic().equals(Topics.DEPLOY_REQUESTS_DLQ) && kindByKey.containsKey(r.keyText()))
                    .size();
            Report report = Reliability.report();
            String section = "fuzz: deploy topic";
            report.figure(section, "bad records written", kindByKey.size());
            kindByKey.values().stream()
                    .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()))
                    .forEach((k, n) -> report.figure(section, "  of them " + k, n));
            report.figure(section, "dead-lettered with a reason", dead.size());
            report.figure(section, "dead-letter records for them (repeats included)", dlqCount);
            report.figure(section, "rules named in reasons", rules);
            report.figure(section, "valid request after them SUCCEEDED after (ms)", appliedAfter);
            report.write(Reliability.output().resolve("reliability-report.md"));
            assertThat(dlqCount).as("each bad record dead-lettered once").isEqualTo(kindByKey.size());
        }
    }

    private static Map<String, TopicTap.Rec> deadLettered(Set<String> keys) {
        return Reliability.tap()
                .records(r -> r.topic().equals(Topics.DEPLOY_REQUESTS_DLQ) && keys.contains(r.keyText()))
                .stream()
                .collect(Collectors.toMap(TopicTap.Rec::keyText, r -> r, (a, b) -> a));
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

    private static Map<String, Object> valid(String app, Fuzz fuzz) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", app);
        spec.put("image", "registry.example.com/reliability/" + app + ":1");
        spec.put("ports", List.of(Map.of("name", "http", "containerPort", 8080)));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("deploymentId", UUID.randomUUID().toString());
        event.put("action", "APPLY");
        event.put("orchestrator", Target.ORCHESTRATOR);
        event.put("namespace", Target.NAMESPACE);
        event.put("app", app);
        event.put("spec", spec);
        event.put("requestedBy", Map.of("subject", "ci-fuzz"));
        event.put("requestedAt", Instant.now().toString());
        return event;
    }

    /** A request that parses but can never succeed: each variant breaks one rule for sure. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> invalidSpec(Fuzz fuzz) {
        Map<String, Object> event = valid("fz-invalid", fuzz);
        Map<String, Object> spec = (Map<String, Object>) event.get("spec");
        switch (fuzz.between(0, 8)) {
            case 0 -> spec.put("image", "UPPER CASE " + fuzz.text(10));
            case 1 -> spec.put("replicas", fuzz.pick(List.of(-1, 101, Integer.MAX_VALUE)));
            case 2 -> spec.put("name", "other-name");
            case 3 -> spec.put("ports", List.of(Map.of("name", "http", "containerPort", 0)));
            case 4 -> event.put("orchestrator", "no-such-orchestrator");
            case 5 -> event.put("namespace", "Not_A_Label");
            case 6 -> spec.put("labels", Map.of("app.kubernetes.io/managed-by", "me"));
            case 7 -> event.remove("spec");
            default -> event.put("action", fuzz.pick(List.of("EXPLODE", "", "apply")));
        }
        if (fuzz.random.nextBoolean()) {
            spec.put(fuzz.text(8), fuzz.value(2));
        }
        return event;
    }

    private static Map<String, byte[]> headers(UUID id) {
        return CloudEventHeaders.of(EventType.DEPLOYMENT_REQUESTED, id, "/reliability/fuzz", "fuzz", Instant.now());
    }

    private static Map<String, byte[]> wrongHeaders(Fuzz fuzz) {
        Map<String, byte[]> headers = new LinkedHashMap<>(headers(UUID.randomUUID()));
        switch (fuzz.between(0, 7)) {
            case 0 -> headers.remove(CloudEventHeaders.ID);
            case 1 -> headers.put(CloudEventHeaders.ID, utf8(fuzz.pick(List.of("not-a-uuid", "", "1234"))));
            case 2 -> headers.put(CloudEventHeaders.SPEC_VERSION, utf8(fuzz.pick(List.of("0.3", "2.0", ""))));
            case 3 -> headers.put(CloudEventHeaders.TYPE, utf8("dev.windlass.deployment.requested.v2"));
            case 4 ->
                headers.put(
                        CloudEventHeaders.CONTENT_TYPE,
                        utf8(fuzz.pick(List.of("text/plain", "application/cloudevents+json"))));
            case 5 -> headers.put(CloudEventHeaders.TIME, utf8("yesterday"));
            case 6 -> headers.put(CloudEventHeaders.SOURCE, new byte[] {(byte) 0xff, (byte) 0xfe});
            default -> headers.remove(CloudEventHeaders.TYPE);
        }
        return headers;
    }

    private static ProducerRecord<byte[], byte[]> record(String key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(Topics.DEPLOY_REQUESTS, key.getBytes(StandardCharsets.UTF_8), value);
        headers.forEach((k, v) -> record.headers().add(k, v));
        record.headers()
                .add(
                        RequestTrust.AUTHORIZATION_HEADER,
                        utf8("Bearer " + Reliability.target().token(DevUser.DEPLOYER)));
        return record;
    }

    private static byte[] json(Object value) {
        try {
            return Fuzz.json(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
