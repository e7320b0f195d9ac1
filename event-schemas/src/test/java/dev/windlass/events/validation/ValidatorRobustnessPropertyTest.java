package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.PropertyCases;
import dev.windlass.events.RandomValues;
import dev.windlass.events.TestEvents;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecGenerator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whatever arrives on a topic, the validator answers with a result and never throws. Each case is generated
 * from the seed in its name (see {@link PropertyCases} for rerunning one).
 */
class ValidatorRobustnessPropertyTest {

    private static final List<String> FIELD_NAMES = List.of(
            "deploymentId",
            "action",
            "orchestrator",
            "namespace",
            "app",
            "spec",
            "targetRevision",
            "requestedBy",
            "requestedAt",
            "name",
            "image",
            "replicas",
            "ports",
            "containerPort",
            "exposure",
            "env",
            "secretEnv",
            "resources",
            "requests",
            "limits",
            "cpu",
            "memory",
            "volumes",
            "probes",
            "liveness",
            "phase",
            "objects",
            "change",
            "connection",
            "status",
            "actor",
            "subject",
            "occurredAt");

    /** Nesting depth past which random JSON values are scalars. */
    private static final int MAX_JSON_DEPTH = 6;

    @TestFactory
    Stream<DynamicTest> randomBytesAreRejectedNeverThrown() {
        return PropertyCases.cases("randomBytesAreRejectedNeverThrown", 1000, seed -> {
            RandomValues random = new RandomValues(seed);
            EventType<?> type = random.pick(EventType.all());
            byte[] value = random.bytes(200);
            Map<String, byte[]> headers = headers(random);

            ValidationResult<?> result = EventValidator.validate(type, value, headers);

            assertWellFormed(result);
            assertThat(result.isValid()).isFalse();
        });
    }

    @TestFactory
    Stream<DynamicTest> randomJsonIsAnsweredNeverThrown() {
        return PropertyCases.cases("randomJsonIsAnsweredNeverThrown", 1000, seed -> {
            RandomValues random = new RandomValues(seed);
            EventType<?> type = random.pick(EventType.all());
            String json = random.bool() ? jsonObject(random, 0) : jsonScalar(random);

            ValidationResult<?> result =
                    EventValidator.validate(type, json.getBytes(StandardCharsets.UTF_8), validHeaders(type));

            assertWellFormed(result);
            assertThat(result.isValid()).isFalse();
        });
    }

    @TestFactory
    Stream<DynamicTest> corruptedValidEventsAreAnsweredNeverThrown() {
        return PropertyCases.cases("corruptedValidEventsAreAnsweredNeverThrown", 300, seed -> {
            SpecGenerator random = new SpecGenerator(seed);
            var request = TestEvents.applyRequest(random.spec());
            byte[] value = EventJson.toBytes(request);
            value[Math.floorMod(random.anyInt(), value.length)] = random.anyByte();

            ValidationResult<?> result = EventValidator.validate(
                    EventType.DEPLOYMENT_REQUESTED,
                    value,
                    TestEvents.headersFor(EventType.DEPLOYMENT_REQUESTED, request));

            assertWellFormed(result);
        });
    }

    /** Random headers, the valid headers of some type, valid headers with random ones over them, or none. */
    private static Map<String, byte[]> headers(RandomValues random) {
        return switch (random.index(4)) {
            case 0 -> randomHeaders(random);
            case 1 -> validHeaders(random.pick(EventType.all()));
            case 2 -> {
                Map<String, byte[]> merged = new LinkedHashMap<>(validHeaders(random.pick(EventType.all())));
                merged.putAll(randomHeaders(random));
                yield merged;
            }
            default -> null;
        };
    }

    private static Map<String, byte[]> randomHeaders(RandomValues random) {
        return random.map(
                0,
                9,
                () -> random.bool()
                        ? random.pick(
                                CloudEventHeaders.SPEC_VERSION,
                                CloudEventHeaders.ID,
                                CloudEventHeaders.SOURCE,
                                CloudEventHeaders.TYPE,
                                CloudEventHeaders.TIME,
                                CloudEventHeaders.SUBJECT,
                                CloudEventHeaders.CONTENT_TYPE)
                        : random.text(12),
                () -> random.bool()
                        ? random.bytes(40)
                        : random.pick(
                                        "1.0",
                                        "application/json",
                                        "dev.windlass.deployment.status.v1",
                                        "2026-01-01T00:00:00Z")
                                .getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonScalar(RandomValues random) {
        return random.oneOf(
                () -> "null",
                () -> random.pick("true", "false"),
                () -> String.valueOf(random.anyInt()),
                () -> random.pick("1e400", "-0.0", "12345678901234567890", "1.5"),
                () -> jsonString(random.text(20)),
                () -> random.pick(
                        "\"APPLY\"",
                        "\"DELETE\"",
                        "\"6f1c2b9e-8a4d-4f0e-9b7a-2d3c4e5f6a7b\"",
                        "\"2026-01-01T00:00:00Z\"",
                        "\"256Mi\""));
    }

    /** An object of up to 6 members named like contract fields or at random; values nest up to a depth. */
    private static String jsonObject(RandomValues random, int depth) {
        List<String> members = random.list(0, 6, () -> {
            String key = random.bool()
                    ? random.pick(FIELD_NAMES)
                    : random.string(RandomValues.LOWER + RandomValues.UPPER, 0, 6);
            int kind = depth >= MAX_JSON_DEPTH ? 0 : random.index(9);
            String value;
            if (kind < 6) {
                value = jsonScalar(random);
            } else if (kind < 8) {
                value = jsonObject(random, depth + 1);
            } else {
                value = "[" + String.join(",", random.list(0, 4, () -> jsonScalar(random))) + "]";
            }
            return jsonString(key) + ":" + value;
        });
        return "{" + String.join(",", members) + "}";
    }

    private static String jsonString(String text) {
        return new String(EventJson.toBytes(text), StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> validHeaders(EventType<?> type) {
        return type == EventType.DEPLOYMENT_STATUS
                ? TestEvents.headersFor(EventType.DEPLOYMENT_STATUS, TestEvents.status(DeploymentPhase.FAILED))
                : TestEvents.headersFor(
                        EventType.DEPLOYMENT_REQUESTED, TestEvents.applyRequest(AppSpec.of("web", "nginx")));
    }

    private static void assertWellFormed(ValidationResult<?> result) {
        assertThat(result).isNotNull();
        assertThat(result.isValid()).isEqualTo(result.violations().isEmpty());
        assertThat(result.isValid()).isEqualTo(result.event().isPresent());
        assertThat(result.violations()).allSatisfy(violation -> {
            assertThat(violation.path()).isNotBlank();
            assertThat(violation.rule()).isNotBlank();
            assertThat(violation.message()).isNotBlank();
        });
    }
}
