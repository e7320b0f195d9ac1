package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.JsonEdits;
import dev.windlass.events.TestEvents;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecArbitraries;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Random valid specs survive JSON and validation unchanged; one broken field is always caught and named.
 * Shrinking is off: the samples are large nested structures, and the mutation's description already says
 * what broke.
 */
class SpecPropertyTest {

    private static final EventType<DeploymentRequested> REQUESTED = EventType.DEPLOYMENT_REQUESTED;

    @Provide
    Arbitrary<AppSpec> specs() {
        return SpecArbitraries.specs();
    }

    @Provide
    Arbitrary<AppSpec> richSpecs() {
        return SpecArbitraries.richSpecs();
    }

    @Provide
    Arbitrary<SpecMutation> mutations() {
        return SpecMutation.all();
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().alpha().numeric().ofLength(24).map(random -> "s3cr3t-" + random);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void validSpecsRoundTripThroughJsonUnchanged(@ForAll("specs") AppSpec spec) throws IOException {
        byte[] json = EventJson.toBytes(spec);

        assertThat(JsonEdits.MAPPER.readValue(json, AppSpec.class)).isEqualTo(spec);
        assertThat(SpecValidator.validate(spec)).isEmpty();
        Statistics.label("ports").collect(spec.ports().size());
        Statistics.label("ingress").collect(spec.ingress() != null);
    }

    @Property(tries = 200, shrinking = ShrinkingMode.OFF)
    void validRequestsPassTheConsumerValidatorUnchanged(@ForAll("specs") AppSpec spec) {
        DeploymentRequested request = TestEvents.applyRequest(spec);

        ValidationResult<DeploymentRequested> result = EventValidator.validate(
                REQUESTED, EventJson.toBytes(request), TestEvents.headersFor(REQUESTED, request));

        assertThat(result.violations()).isEmpty();
        assertThat(result.event().orElseThrow().data()).isEqualTo(request);
    }

    @Property(tries = 500, shrinking = ShrinkingMode.OFF)
    void oneInvalidFieldIsRejectedWithAViolationNamingIt(
            @ForAll("richSpecs") AppSpec valid,
            @ForAll("mutations") SpecMutation mutation,
            @ForAll("secrets") String secret) {
        ObjectNode request = JsonEdits.tree(TestEvents.applyRequest(valid));
        ObjectNode spec = (ObjectNode) request.get("spec");
        JsonEdits.object(spec, "secretEnv").put("PROPERTY_SECRET", secret);
        String field = mutation.apply(spec);
        Map<String, byte[]> headers = TestEvents.headersFor(REQUESTED, TestEvents.applyRequest(valid));

        ValidationResult<DeploymentRequested> result =
                EventValidator.validate(REQUESTED, JsonEdits.bytes(request), headers);

        assertThat(result.isValid()).as("accepted %s", mutation).isFalse();
        assertNames(result.violations(), field);
        if (mutation.schemaCatches()) {
            assertNames(PayloadSchemas.validate(REQUESTED, request), field);
        }
        Optional<AppSpec> mapped = read(spec);
        mapped.ifPresent(restBody -> assertNames(SpecValidator.validate(restBody), field));
        assertThat(result.violations()).allSatisfy(v -> assertThat(v.toString()).doesNotContain(secret));
        mapped.ifPresent(restBody -> assertThat(restBody.toString()).doesNotContain(secret));
        Statistics.label("caught by").collect(mutation.schemaCatches() ? "schema" : "rules");
        Statistics.label("readable by REST").collect(mapped.isPresent());
    }

    private static void assertNames(List<Violation> violations, String field) {
        assertThat(violations)
                .as("violations naming %s", field)
                .anySatisfy(v -> assertThat(v.path())
                        .satisfiesAnyOf(
                                path -> assertThat(path).isEqualTo(field),
                                path -> assertThat(path).startsWith(field + "["),
                                path -> assertThat(path).startsWith(field + ".")));
    }

    private static Optional<AppSpec> read(ObjectNode spec) {
        try {
            return Optional.of(JsonEdits.MAPPER.treeToValue(spec, AppSpec.class));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
