package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.TestEvents;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecArbitraries;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Whatever arrives on a topic, the validator answers with a result and never throws. */
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

    @Provide
    Arbitrary<EventType<?>> types() {
        return Arbitraries.of(EventType.all());
    }

    @Provide
    Arbitrary<Map<String, byte[]>> headers() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of(
                        CloudEventHeaders.SPEC_VERSION,
                        CloudEventHeaders.ID,
                        CloudEventHeaders.SOURCE,
                        CloudEventHeaders.TYPE,
                        CloudEventHeaders.TIME,
                        CloudEventHeaders.SUBJECT,
                        CloudEventHeaders.CONTENT_TYPE),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of("1.0", "application/json", "dev.windlass.deployment.status.v1", "2026-01-01T00:00:00Z")
                        .map(text -> text.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Map<String, byte[]>> random = Arbitraries.maps(names, values).ofMaxSize(9);
        Arbitrary<Map<String, byte[]>> valid = Arbitraries.of(EventType.all()).map(type -> validHeaders(type));
        Arbitrary<Map<String, byte[]>> corrupted = Combinators.combine(valid, random)
                .as((base, extra) -> {
                    Map<String, byte[]> merged = new LinkedHashMap<>(base);
                    merged.putAll(extra);
                    return merged;
                });
        return Arbitraries.oneOf(random, valid, corrupted, Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> json() {
        return Arbitraries.lazyOf(() -> Arbitraries.oneOf(jsonObject(), jsonScalar()));
    }

    private Arbitrary<String> jsonScalar() {
        return Arbitraries.oneOf(
                Arbitraries.just("null"),
                Arbitraries.of("true", "false"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.of("1e400", "-0.0", "12345678901234567890", "1.5"),
                Arbitraries.strings().ofMaxLength(20).map(ValidatorRobustnessPropertyTest::jsonString),
                Arbitraries.of(
                        "\"APPLY\"",
                        "\"DELETE\"",
                        "\"6f1c2b9e-8a4d-4f0e-9b7a-2d3c4e5f6a7b\"",
                        "\"2026-01-01T00:00:00Z\"",
                        "\"256Mi\""));
    }

    private Arbitrary<String> jsonObject() {
        Arbitrary<String> member = Combinators.combine(
                        Arbitraries.oneOf(
                                Arbitraries.of(FIELD_NAMES),
                                Arbitraries.strings().alpha().ofMaxLength(6)),
                        Arbitraries.lazyOf(() -> Arbitraries.frequencyOf(
                                Tuple.of(6, jsonScalar()), Tuple.of(2, jsonObject()), Tuple.of(1, jsonArray()))))
                .as((key, value) -> jsonString(key) + ":" + value);
        return member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
    }

    private static String jsonString(String text) {
        return new String(EventJson.toBytes(text), StandardCharsets.UTF_8);
    }

    private Arbitrary<String> jsonArray() {
        return jsonScalar().list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
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

    @Property(tries = 500)
    void randomBytesAreRejectedNeverThrown(
            @ForAll("types") EventType<?> type,
            @ForAll @Size(max = 200) byte[] value,
            @ForAll("headers") Map<String, byte[]> headers) {
        ValidationResult<?> result = EventValidator.validate(type, value, headers);

        assertWellFormed(result);
        assertThat(result.isValid()).isFalse();
    }

    @Property(tries = 500)
    void randomJsonIsAnsweredNeverThrown(@ForAll("types") EventType<?> type, @ForAll("json") String json) {
        ValidationResult<?> result =
                EventValidator.validate(type, json.getBytes(StandardCharsets.UTF_8), validHeaders(type));

        assertWellFormed(result);
        assertThat(result.isValid()).isFalse();
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void corruptedValidEventsAreAnsweredNeverThrown(
            @ForAll("specs") AppSpec spec, @ForAll int position, @ForAll byte replacement) {
        var request = TestEvents.applyRequest(spec);
        byte[] value = EventJson.toBytes(request);
        value[Math.floorMod(position, value.length)] = replacement;

        ValidationResult<?> result = EventValidator.validate(
                EventType.DEPLOYMENT_REQUESTED, value, TestEvents.headersFor(EventType.DEPLOYMENT_REQUESTED, request));

        assertWellFormed(result);
    }

    @Provide
    Arbitrary<AppSpec> specs() {
        return SpecArbitraries.specs();
    }
}
