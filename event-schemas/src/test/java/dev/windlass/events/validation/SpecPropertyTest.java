package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.JsonEdits;
import dev.windlass.events.PropertyCases;
import dev.windlass.events.TestEvents;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random valid specs survive JSON and validation unchanged; one broken field is always caught and named. Each
 * case is generated from the seed in its name (see {@link PropertyCases} for rerunning one).
 */
class SpecPropertyTest {

    private static final EventType<DeploymentRequested> REQUESTED = EventType.DEPLOYMENT_REQUESTED;

    @TestFactory
    Stream<DynamicTest> validSpecsRoundTripThroughJsonUnchanged() {
        return PropertyCases.cases("validSpecsRoundTripThroughJsonUnchanged", 300, seed -> {
            AppSpec spec = new SpecGenerator(seed).spec();
            byte[] json = EventJson.toBytes(spec);

            assertThat(JsonEdits.MAPPER.readValue(json, AppSpec.class)).isEqualTo(spec);
            assertThat(SpecValidator.validate(spec)).isEmpty();
        });
    }

    @TestFactory
    Stream<DynamicTest> validRequestsPassTheConsumerValidatorUnchanged() {
        return PropertyCases.cases("validRequestsPassTheConsumerValidatorUnchanged", 300, seed -> {
            DeploymentRequested request = TestEvents.applyRequest(new SpecGenerator(seed).spec());

            ValidationResult<DeploymentRequested> result = EventValidator.validate(
                    REQUESTED, EventJson.toBytes(request), TestEvents.headersFor(REQUESTED, request));

            assertThat(result.violations()).isEmpty();
            assertThat(result.event().orElseThrow().data()).isEqualTo(request);
        });
    }

    /** The cases cycle through the kinds of mutation, so each kind gets about the same number of cases. */
    @TestFactory
    Stream<DynamicTest> oneInvalidFieldIsRejectedWithAViolationNamingIt() {
        return PropertyCases.cases(
                "oneInvalidFieldIsRejectedWithAViolationNamingIt", 500, SpecMutation.kinds(), seed -> {
                    SpecGenerator random = new SpecGenerator(seed);
                    AppSpec valid = random.richSpec();
                    SpecMutation mutation = SpecMutation.draw(seed, random);
                    String secret = "s3cr3t-"
                            + random.string(SpecGenerator.LOWER + SpecGenerator.UPPER + SpecGenerator.DIGITS, 24);
                    checkRejected(valid, mutation, secret);
                });
    }

    private static void checkRejected(AppSpec valid, SpecMutation mutation, String secret) {
        ObjectNode request = JsonEdits.tree(TestEvents.applyRequest(valid));
        ObjectNode spec = (ObjectNode) request.get("spec");
        JsonEdits.object(spec, "secretEnv").put("PROPERTY_SECRET", secret);
        String field = mutation.apply(spec);
        Map<String, byte[]> headers = TestEvents.headersFor(REQUESTED, TestEvents.applyRequest(valid));

        ValidationResult<DeploymentRequested> result =
                EventValidator.validate(REQUESTED, JsonEdits.bytes(request), headers);

        assertThat(result.isValid()).as("accepted %s", mutation).isFalse();
        assertNames(result.violations(), field, mutation);
        if (mutation.schemaCatches()) {
            assertNames(PayloadSchemas.validate(REQUESTED, request), field, mutation);
        }
        Optional<AppSpec> mapped = read(spec);
        mapped.ifPresent(restBody -> assertNames(SpecValidator.validate(restBody), field, mutation));
        assertThat(result.violations()).allSatisfy(v -> assertThat(v.toString()).doesNotContain(secret));
        mapped.ifPresent(restBody -> assertThat(restBody.toString()).doesNotContain(secret));
    }

    private static void assertNames(List<Violation> violations, String field, SpecMutation mutation) {
        assertThat(violations)
                .as("violations naming %s after %s", field, mutation)
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
