package dev.windlass.events.validation;

import static dev.windlass.events.TestEvents.DEFAULT_EVENT_ID;
import static dev.windlass.events.TestEvents.DEFAULT_TIME;
import static dev.windlass.events.TestEvents.applyRequest;
import static dev.windlass.events.TestEvents.connectionChanged;
import static dev.windlass.events.TestEvents.fullSpec;
import static dev.windlass.events.TestEvents.headersFor;
import static dev.windlass.events.TestEvents.status;
import static dev.windlass.events.TestEvents.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.JsonEdits;
import dev.windlass.events.TestEvents;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.orchestrator.ConnectionStatus;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {

    private static final EventType<DeploymentRequested> REQUESTED = EventType.DEPLOYMENT_REQUESTED;
    private static final DeploymentRequested REQUEST = applyRequest(fullSpec());
    private static final Map<String, byte[]> HEADERS = headersFor(REQUESTED, REQUEST);

    private static ValidationResult<DeploymentRequested> validate(byte[] value, Map<String, byte[]> headers) {
        return EventValidator.validate(REQUESTED, value, headers);
    }

    private static ValidationResult<DeploymentRequested> validateEdited(Consumer<ObjectNode> edit) {
        ObjectNode tree = JsonEdits.tree(REQUEST);
        edit.accept(tree);
        return validate(JsonEdits.bytes(tree), HEADERS);
    }

    @Test
    void acceptsAValidRequestAndExposesItsIdAsIdempotencyKey() {
        ValidationResult<DeploymentRequested> result = validate(EventJson.toBytes(REQUEST), HEADERS);

        assertThat(result.isValid()).isTrue();
        assertThat(result.violations()).isEmpty();
        EventEnvelope<DeploymentRequested> event = result.event().orElseThrow();
        assertThat(event.id()).isEqualTo(DEFAULT_EVENT_ID);
        assertThat(event.data()).isEqualTo(REQUEST);
        assertThat(event.source()).isEqualTo(CloudEventHeaders.SOURCE_DEPLOYER);
        assertThat(event.subject()).isEqualTo("home-k3s/shop/storefront");
        assertThat(event.time()).isEqualTo(DEFAULT_TIME);
        assertThat(event.type()).isSameAs(REQUESTED);
    }

    @Test
    void acceptsStatusAndOrchestratorEvents() {
        var statusEvent = status(DeploymentPhase.SUCCEEDED);
        assertThat(EventValidator.validate(
                                EventType.DEPLOYMENT_STATUS,
                                EventJson.toBytes(statusEvent),
                                headersFor(EventType.DEPLOYMENT_STATUS, statusEvent))
                        .event())
                .map(EventEnvelope::data)
                .contains(statusEvent);
        OrchestratorChanged change = connectionChanged(ConnectionStatus.TLS_ERROR);
        assertThat(EventValidator.validate(
                                EventType.ORCHESTRATOR_CHANGED,
                                EventJson.toBytes(change),
                                headersFor(EventType.ORCHESTRATOR_CHANGED, change))
                        .event())
                .map(EventEnvelope::data)
                .contains(change);
    }

    @Test
    void acceptsUnknownEnvelopeFieldsSoProducersCanAddMetadata() {
        var result = validateEdited(tree -> {
            tree.put("priority", "high");
            tree.putObject("trace").put("id", "abc");
            JsonEdits.object(tree, "requestedBy").put("email", "alice@example.com");
        });
        assertThat(result.violations()).isEmpty();
        assertThat(result.event().orElseThrow().data()).isEqualTo(REQUEST);
    }

    @Test
    void refusesEveryUnknownSpecFieldAtAnyDepthNamingTheFieldMeant() {
        var result = validateEdited(tree -> {
            ObjectNode spec = JsonEdits.object(tree, "spec");
            spec.put("privileged", true);
            spec.put("replica", 3);
            JsonEdits.element(spec, "ports", 1).put("hostPort", 9090);
            JsonEdits.object(JsonEdits.object(spec, "probes"), "liveness").put("timeoutSecond", 1);
            JsonEdits.object(JsonEdits.object(spec, "resources"), "limits").put("memroy", "1Gi");
            JsonEdits.element(spec, "volumes", 0).put("storageclass", "fast");
        });

        assertThat(result.isValid()).isFalse();
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactlyInAnyOrder(
                        tuple("spec.privileged", Rules.UNKNOWN_FIELD, "unknown field"),
                        tuple("spec.replica", Rules.UNKNOWN_FIELD, "unknown field; did you mean replicas?"),
                        tuple("spec.ports[1].hostPort", Rules.UNKNOWN_FIELD, "unknown field"),
                        tuple("spec.probes.liveness.timeoutSecond", Rules.UNKNOWN_FIELD, "unknown field"),
                        tuple(
                                "spec.resources.limits.memroy",
                                Rules.UNKNOWN_FIELD,
                                "unknown field; did you mean memory?"),
                        tuple(
                                "spec.volumes[0].storageclass",
                                Rules.UNKNOWN_FIELD,
                                "unknown field; did you mean storageClass?"));
    }

    @Test
    void unknownSpecFieldsAreReportedWithTheOtherSchemaViolations() {
        var result = validateEdited(tree -> {
            ObjectNode spec = JsonEdits.object(tree, "spec");
            spec.put("imagePullPolicy", "Always");
            spec.put("replicas", 1000);
        });

        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactlyInAnyOrder(
                        tuple("spec.imagePullPolicy", Rules.UNKNOWN_FIELD), tuple("spec.replicas", "schema.maximum"));
    }

    @Test
    void theSchemaAloneRefusesUnknownSpecFieldsForProducersInOtherLanguages() {
        ObjectNode tree = JsonEdits.tree(REQUEST);
        JsonEdits.element(JsonEdits.object(tree, "spec"), "ports", 0).put("hostPort", 1);
        tree.put("priority", "high");

        assertThat(PayloadSchemas.validate(REQUESTED, tree))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ports[0].hostPort", "schema.additionalProperties"));
    }

    @Test
    void statusAndOrchestratorEventsStayTolerant() {
        var statusEvent = status(DeploymentPhase.SUCCEEDED);
        ObjectNode statusTree = JsonEdits.tree(statusEvent);
        statusTree.put("durationMillis", 1200);
        ((ObjectNode) statusTree.get("objects").get(0)).put("uid", "x");
        assertThat(EventValidator.validate(
                                EventType.DEPLOYMENT_STATUS,
                                JsonEdits.bytes(statusTree),
                                headersFor(EventType.DEPLOYMENT_STATUS, statusEvent))
                        .violations())
                .isEmpty();
        OrchestratorChanged change = connectionChanged(ConnectionStatus.CONNECTED);
        ObjectNode changeTree = JsonEdits.tree(change);
        changeTree.put("region", "eu");
        JsonEdits.object(changeTree, "connection").put("retries", 2);
        assertThat(EventValidator.validate(
                                EventType.ORCHESTRATOR_CHANGED,
                                JsonEdits.bytes(changeTree),
                                headersFor(EventType.ORCHESTRATOR_CHANGED, change))
                        .violations())
                .isEmpty();
    }

    @Test
    void reportsEveryMissingRequiredHeader() {
        var result = validate(EventJson.toBytes(REQUEST), Map.of());
        assertThat(result.isValid()).isFalse();
        assertThat(result.event()).isEmpty();
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("headers.ce_specversion", Rules.REQUIRED, "is required"),
                        tuple("headers.ce_id", Rules.REQUIRED, "is required"),
                        tuple("headers.ce_source", Rules.REQUIRED, "is required"),
                        tuple("headers.ce_type", Rules.REQUIRED, "is required"),
                        tuple("headers[\"content-type\"]", Rules.REQUIRED, "is required"));
    }

    @Test
    void nullHeadersAndNullValueAreViolationsToo() {
        assertThat(validate(null, null).violations())
                .extracting(Violation::path)
                .contains("headers.ce_id", "$");
        assertThat(validate(new byte[0], HEADERS).violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("$", Rules.REQUIRED, "the record has no value"));
    }

    @Test
    void rejectsAnotherSpecVersion() {
        var result = validate(EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.SPEC_VERSION, "0.3"));
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("headers.ce_specversion", Rules.HEADER_VALUE, "must be 1.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42", "6F1C2B9E-8A4D-4F0E-9B7A", "1-1-1-1-1", "6f1c2b9e8a4d4f0e9b7a2d3c4e5f6a7b"})
    void rejectsAnIdThatIsNotACanonicalUuid(String id) {
        var result = validate(EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.ID, id));
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("headers.ce_id", Rules.UUID));
    }

    @Test
    void acceptsAnUpperCaseUuid() {
        String upper = DEFAULT_EVENT_ID.toString().toUpperCase();
        var result = validate(EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.ID, upper));
        assertThat(result.event().orElseThrow().id()).isEqualTo(DEFAULT_EVENT_ID);
    }

    @Test
    void rejectsAnotherWindlassTypeAndAnUnknownType() {
        var other = validate(
                EventJson.toBytes(REQUEST),
                withHeader(HEADERS, CloudEventHeaders.TYPE, EventType.DEPLOYMENT_STATUS.name()));
        assertThat(other.violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "headers.ce_type",
                        Rules.EVENT_TYPE,
                        "must be dev.windlass.deployment.requested.v1, not another Windlass event type"));
        var unknown = validate(
                EventJson.toBytes(REQUEST),
                withHeader(HEADERS, CloudEventHeaders.TYPE, "dev.windlass.deployment.requested.v2"));
        assertThat(unknown.violations())
                .extracting(Violation::message)
                .containsExactly("must be dev.windlass.deployment.requested.v1, not an unknown type");
    }

    @Test
    void rejectsStructuredModeAndOtherContentTypes() {
        var structured = validate(
                EventJson.toBytes(REQUEST),
                withHeader(HEADERS, CloudEventHeaders.CONTENT_TYPE, "application/cloudevents+json"));
        assertThat(structured.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("headers[\"content-type\"]", Rules.HEADER_VALUE));
        var withCharset = validate(
                EventJson.toBytes(REQUEST),
                withHeader(HEADERS, CloudEventHeaders.CONTENT_TYPE, "Application/JSON; charset=utf-8"));
        assertThat(withCharset.isValid()).isTrue();
    }

    @Test
    void checksTimeAndSourceWhenPresent() {
        var badTime = validate(EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.TIME, "yesterday"));
        assertThat(badTime.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("headers.ce_time", Rules.TIMESTAMP));
        var badSource = validate(EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.SOURCE, "a b"));
        assertThat(badSource.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("headers.ce_source", Rules.URI));
        var offsetTime = validate(
                EventJson.toBytes(REQUEST), withHeader(HEADERS, CloudEventHeaders.TIME, "2026-03-14T10:26:53+01:00"));
        assertThat(offsetTime.event().orElseThrow().time()).isEqualTo(DEFAULT_TIME);
    }

    @Test
    void withoutTimeAndSubjectHeadersTheyComeFromThePayload() {
        Map<String, byte[]> headers =
                withHeader(withHeader(HEADERS, CloudEventHeaders.TIME, null), CloudEventHeaders.SUBJECT, null);
        var event = validate(EventJson.toBytes(REQUEST), headers).event().orElseThrow();
        assertThat(event.time()).isEqualTo(REQUEST.requestedAt());
        assertThat(event.subject()).isEqualTo("home-k3s/shop/storefront");
    }

    @Test
    void rejectsHeadersThatAreNotUtf8() {
        Map<String, byte[]> headers = new HashMap<>(HEADERS);
        headers.put(CloudEventHeaders.SOURCE, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThat(validate(EventJson.toBytes(REQUEST), headers).violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("headers.ce_source", Rules.MALFORMED));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "{",
                "[1,2]",
                "\"text\"",
                "null",
                "{} {}",
                "{\"action\":\"APPLY\",\"action\":\"DELETE\"}"
            })
    void rejectsWhatIsNotExactlyOneJsonObject(String value) {
        var result = validate(value.getBytes(StandardCharsets.UTF_8), HEADERS);
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("$", Rules.MALFORMED));
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutThrowing() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThat(validate(deep.getBytes(StandardCharsets.UTF_8), HEADERS).violations())
                .extracting(Violation::rule)
                .containsExactly(Rules.MALFORMED);
    }

    @Test
    void rejectsOversizedValuesBeforeParsing() {
        byte[] huge = new byte[EventValidator.MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThat(validate(huge, HEADERS).violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("$", Rules.TOO_LARGE, "must be at most 1000000 bytes"));
    }

    @Test
    void reportsSchemaViolationsWithFieldPaths() {
        var result = validateEdited(tree -> {
            tree.remove("requestedAt");
            tree.put("deploymentId", "not-a-uuid");
            JsonEdits.element(JsonEdits.object(tree, "spec"), "ports", 1).put("containerPort", "9090");
            JsonEdits.object(tree, "spec").put("replicas", 1000);
        });
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactlyInAnyOrder(
                        tuple("requestedAt", "schema.required"),
                        tuple("deploymentId", "schema.format"),
                        tuple("spec.ports[1].containerPort", "schema.type"),
                        tuple("spec.replicas", "schema.maximum"));
        assertThat(result.violations())
                .filteredOn(v -> v.path().equals("spec.replicas"))
                .extracting(Violation::message)
                .containsExactly("must have a maximum value of 100");
    }

    @Test
    void schemaEnforcesWhichFieldsBelongToWhichAction() {
        var applyWithoutSpec = validateEdited(tree -> tree.remove("spec"));
        assertThat(applyWithoutSpec.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec", "schema.required"));
        var rollbackWithSpec = validateEdited(tree -> tree.put("action", "ROLLBACK"));
        assertThat(rollbackWithSpec.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactlyInAnyOrder(tuple("targetRevision", "schema.required"), tuple("spec", "schema.false"));
    }

    @Test
    void reportsSemanticViolationsTheSchemaCannotExpress() {
        var result = validateEdited(tree -> {
            tree.put("app", "checkout");
            JsonEdits.object(JsonEdits.object(JsonEdits.object(tree, "spec"), "resources"), "requests")
                    .put("memory", "2Gi");
        });
        assertThat(result.violations())
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("spec.resources.requests.memory", Rules.LIMIT, "must not exceed limits.memory"),
                        tuple("spec.name", Rules.MISMATCH, "must equal app"));
    }

    @Test
    void validatesRollbackAndDeleteRequests() {
        var rollback = DeploymentRequested.rollback(
                UUID.randomUUID(), "home-k3s", "shop", "storefront", 3, TestEvents.DEFAULT_ACTOR, Instant.now());
        assertThat(validate(EventJson.toBytes(rollback), headersFor(REQUESTED, rollback))
                        .isValid())
                .isTrue();
        var delete = DeploymentRequested.delete(
                UUID.randomUUID(), "home-k3s", "shop", "storefront", TestEvents.DEFAULT_ACTOR, Instant.now());
        assertThat(validate(EventJson.toBytes(delete), headersFor(REQUESTED, delete))
                        .isValid())
                .isTrue();
        var zeroRevision = JsonEdits.edit(rollback, tree -> tree.put("targetRevision", 0));
        assertThat(EventValidator.check(REQUESTED, zeroRevision))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("targetRevision", Rules.RANGE));
    }

    @Test
    void validatesImageUpdateRequests() {
        var update = DeploymentRequested.updateImage(
                UUID.randomUUID(),
                "home-k3s",
                "shop",
                "storefront",
                "ghcr.io/example/storefront:1.4.2@sha256:" + "a".repeat(64),
                TestEvents.DEFAULT_ACTOR,
                Instant.now());
        assertThat(validate(EventJson.toBytes(update), headersFor(REQUESTED, update))
                        .violations())
                .isEmpty();

        var noImage = validate(
                EventJson.toBytes(JsonEdits.edit(update, tree -> tree.remove("image"))), headersFor(REQUESTED, update));
        assertThat(noImage.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("image", "schema.required"));
        var badImage = JsonEdits.edit(update, tree -> tree.put("image", "Storefront:latest"));
        assertThat(EventValidator.check(REQUESTED, badImage))
                .extracting(Violation::path)
                .containsExactly("image");
        var withSpec = validateEdited(tree -> {
            tree.put("action", "UPDATE_IMAGE");
            tree.put("image", "nginx:1.27");
        });
        assertThat(withSpec.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec", "schema.false"));
        var applyWithImage = validateEdited(tree -> tree.put("image", "nginx:1.27"));
        assertThat(applyWithImage.violations())
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("image", "schema.false"));
    }

    @Test
    void semanticChecksAreAvailableToProducers() {
        var request = JsonEdits.edit(REQUEST, tree -> tree.put("namespace", "Shop"));
        assertThat(EventValidator.check(REQUESTED, request))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("namespace", Rules.DNS_LABEL));
        assertThat(EventValidator.check(REQUESTED, null))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("$", Rules.REQUIRED));
    }

    @Test
    void statusAndOrchestratorSemanticRules() {
        var status = JsonEdits.edit(status(DeploymentPhase.FAILED), tree -> {
            JsonEdits.element(tree, "objects", 0).put("kind", "deployment");
            tree.put("revision", 0);
        });
        assertThat(EventValidator.check(EventType.DEPLOYMENT_STATUS, status))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("revision", Rules.RANGE), tuple("objects[0].kind", Rules.KIND));
        var change = JsonEdits.edit(connectionChanged(ConnectionStatus.CONNECTED), tree -> tree.remove("connection"));
        assertThat(EventValidator.check(EventType.ORCHESTRATOR_CHANGED, change))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("connection", Rules.REQUIRED, "is required for CONNECTION_CHANGED"));
    }

    @Test
    void secretValuesNeverAppearInViolations() {
        var result = validateEdited(tree -> {
            ObjectNode secrets = JsonEdits.object(JsonEdits.object(tree, "spec"), "secretEnv");
            secrets.put(
                    "DB_PASSWORD",
                    TestEvents.DEFAULT_SECRET.repeat(dev.windlass.events.spec.SpecLimits.MAX_SEALED_SECRET_LENGTH
                                    / TestEvents.DEFAULT_SECRET.length()
                            + 1));
            secrets.put("API_TOKEN", 12345);
        });
        assertThat(result.violations()).hasSize(2);
        assertThat(result.violations())
                .allSatisfy(v -> assertThat(v.toString())
                        .doesNotContain(TestEvents.DEFAULT_SECRET)
                        .doesNotContain("12345"));
    }

    @Test
    void invalidResultNeedsAViolation() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ValidationResult.Invalid<>(List.of()));
    }
}
