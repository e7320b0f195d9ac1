package dev.windlass.deployer.messaging;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.service.Housekeeping;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.Requests;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.DeadLetter;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventKeys;
import dev.windlass.events.EventType;
import dev.windlass.events.Topics;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.validation.Violation;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Deploy requests from any producer, straight onto the requests topic with a plain Kafka producer. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class IntakeTest {

    @Inject
    Housekeeping housekeeping;

    @Inject
    ContextRunner runner;

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String CI_SOURCE = "/ci/pipelines/storefront";
    private static final Actor CI = new Actor("ci-bot", "ci");

    @Test
    void appliesAnEventDeliveredTwiceOnlyOnce() {
        String app = uniqueApp("twice");
        UUID deploymentId = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> event = EventEnvelope.of(
                EventType.DEPLOYMENT_REQUESTED,
                UUID.randomUUID(),
                CI_SOURCE,
                DeploymentRequested.apply(deploymentId, RegistryStandIn.LOCAL, NS, spec(app), CI, Instant.now()));
        TestKafka.produce(event);
        TestKafka.produce(event);
        // a later request of the same app is consumed after both copies (same key, same partition)
        UUID later = UUID.randomUUID();
        TestKafka.produce(request(later, app));
        Api.awaitPhase(later, "PROGRESSING");

        assertThat(TestDb.column("select number from revisions where app = ? order by number", app))
                .containsExactly("1", "2");
        assertThat(TestDb.phases(deploymentId)).startsWith("ACCEPTED", "APPLYING", "PROGRESSING");
        assertThat(TestDb.phases(deploymentId)).containsOnlyOnce("ACCEPTED", "APPLYING", "PROGRESSING");
        await().untilAsserted(() -> assertThat(TestKafka.statuses(deploymentId))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactly(
                        DeploymentPhase.ACCEPTED,
                        DeploymentPhase.APPLYING,
                        DeploymentPhase.PROGRESSING,
                        DeploymentPhase.SUPERSEDED));
        Api.get(deploymentId)
                .then()
                .statusCode(200)
                // who asked is who the token names, not the payload's requestedBy
                .body("requestedBy.subject", org.hamcrest.Matchers.equalTo(AuthentikIssuer.subjectOf("deployer")))
                .body("revision", org.hamcrest.Matchers.equalTo(1));
    }

    /**
     * A request whose app has nothing waiting before it is started in the intake's own transaction: its event id, its
     * ACCEPTED and APPLYING entries and the superseding of the app's progressing deployment are written together (one
     * transaction id, PostgreSQL's {@code xmin}, on every row); one that finds another of its app still being applied
     * stays ACCEPTED until the pipeline begins it, in a transaction of its own.
     */
    @Test
    void theIntakeStartsARequestWhoseAppHasNothingWaitingInItsOwnTransaction() {
        String app = uniqueApp("start");
        UUID first = UUID.randomUUID();
        TestKafka.produce(request(first, app));
        Api.awaitPhase(first, "PROGRESSING");
        assertThat(transactionOf(first, "ACCEPTED")).isEqualTo(transactionOf(first, "APPLYING"));

        EventEnvelope<DeploymentRequested> second = request(UUID.randomUUID(), app);
        TestKafka.produce(second);
        UUID secondId = second.data().deploymentId();
        Api.awaitPhase(secondId, "PROGRESSING");
        String started = transactionOf(secondId, "ACCEPTED");
        assertThat(transactionOf(secondId, "APPLYING")).isEqualTo(started);
        assertThat(transactionOf(first, "SUPERSEDED")).isEqualTo(started);
        // the event id claimed by the same transaction
        assertThat(TestDb.count("select count(*) from processed_events where xmin::text = ?", started))
                .isEqualTo(1);
        assertThat(TestDb.column("select revision from deployments where id = ?", secondId))
                .containsExactly("2");

        // the second stands for a deployment still being applied: the next request is only accepted, and the
        // pipeline begins it later, in a transaction of its own
        TestDb.update("update deployments set phase = 'APPLYING' where id = ?", secondId);
        try {
            UUID third = UUID.randomUUID();
            TestKafka.produce(request(third, app));
            Api.awaitPhase(third, "PROGRESSING");
            assertThat(transactionOf(third, "APPLYING")).isNotEqualTo(transactionOf(third, "ACCEPTED"));
        } finally {
            TestDb.update("update deployments set phase = 'FAILED' where id = ?", secondId);
        }
    }

    /**
     * The records of one poll are recorded in one transaction: five requests of one app, produced together (one
     * partition, one batch, one poll), have their event ids claimed and their ACCEPTED entries written by the same
     * transaction, and are still carried out one after the other, in their order.
     */
    @Test
    void theRecordsOfOnePollAreRecordedInOneTransaction() {
        String app = uniqueApp("poll");
        List<EventEnvelope<DeploymentRequested>> requests = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> request(UUID.randomUUID(), app))
                .toList();
        Requests.produceTogether(requests);
        UUID last = requests.get(4).data().deploymentId();
        Api.awaitPhase(last, "PROGRESSING");

        String together = transactionOf(requests.get(0).data().deploymentId(), "ACCEPTED");
        for (EventEnvelope<DeploymentRequested> request : requests) {
            assertThat(transactionOf(request.data().deploymentId(), "ACCEPTED"))
                    .as("the transaction of %s", request.data().deploymentId())
                    .isEqualTo(together);
        }
        assertThat(TestDb.count("select count(*) from processed_events where xmin::text = ?", together))
                .isEqualTo(5);
        // carried out in their order: each but the last superseded by the next, revisions numbered as they came
        for (int i = 0; i < 4; i++) {
            UUID id = requests.get(i).data().deploymentId();
            await().untilAsserted(() -> assertThat(TestDb.phases(id)).endsWith("SUPERSEDED"));
            assertThat(TestDb.column("select revision from deployments where id = ?", id))
                    .containsExactly(String.valueOf(i + 1));
        }
    }

    /**
     * A record that cannot be recorded (here a database trigger refuses its deployment's row, as a bug or a broken
     * row would) rolls back its poll's transaction; the poll is then taken record by record: the records before and
     * after it are carried out, and it alone is dead-lettered as unprocessable. Without that the poll's failure would
     * stop the consumer.
     */
    @Test
    void aRecordThatCannotBeRecordedIsSetAsideAndTheRestOfItsPollIsTaken() {
        String app = uniqueApp("poison");
        EventEnvelope<DeploymentRequested> before = request(UUID.randomUUID(), app);
        EventEnvelope<DeploymentRequested> poison = request(UUID.randomUUID(), app);
        EventEnvelope<DeploymentRequested> after = request(UUID.randomUUID(), app);
        TestDb.update("create or replace function refuse_poison() returns trigger language plpgsql as $$ begin"
                + " raise exception 'this row is refused'; end $$");
        TestDb.update("create trigger refuse_poison before insert on deployments for each row when (new.id = '"
                + poison.data().deploymentId() + "') execute function refuse_poison()");
        try {
            Requests.produceTogether(List.of(before, poison, after));
            Api.awaitPhase(after.data().deploymentId(), "PROGRESSING");
            await().untilAsserted(() -> assertThat(reason(poison.id()))
                    .extracting(Violation::rule)
                    .containsExactly(DeployRequestConsumer.UNPROCESSABLE));
        } finally {
            TestDb.update("drop trigger refuse_poison on deployments");
            TestDb.update("drop function refuse_poison()");
        }
        assertThat(TestDb.phases(before.data().deploymentId())).startsWith("ACCEPTED", "APPLYING");
        assertThat(TestDb.count(
                        "select count(*) from deployments where id = ?",
                        poison.data().deploymentId()))
                .isZero();
        assertThat(TestDb.column(
                        "select revision from deployments where id = ?",
                        after.data().deploymentId()))
                .containsExactly("2");
    }

    /** The transaction (PostgreSQL's {@code xmin}) that wrote the deployment's entry of {@code phase}. */
    private static String transactionOf(UUID deploymentId, String phase) {
        List<String> xmin = TestDb.column(
                "select xmin::text from deployment_phases where deployment_id = ? and phase = ?", deploymentId, phase);
        assertThat(xmin).as("%s of %s", phase, deploymentId).hasSize(1);
        return xmin.get(0);
    }

    @Test
    void deadLettersBadRecordsWithTheirReasonAndAppliesTheNextOne() {
        String app = uniqueApp("bad");
        byte[] key = TestKafka.utf8(EventKeys.deployment(RegistryStandIn.LOCAL, NS, app));

        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        UUID garbageId = UUID.randomUUID();
        TestKafka.produce(Topics.DEPLOY_REQUESTS, key, garbage, headers(garbageId, EventType.DEPLOYMENT_REQUESTED));

        UUID invalidDeployment = UUID.randomUUID();
        ObjectNode invalid = EventJson.mapper()
                .valueToTree(DeploymentRequested.apply(
                        invalidDeployment, RegistryStandIn.LOCAL, NS, spec(app), CI, Instant.now()));
        ((ObjectNode) invalid.get("spec"))
                .putArray("ports")
                .addObject()
                .put("name", "http")
                .put("containerPort", 70000);
        UUID invalidId = UUID.randomUUID();
        TestKafka.produce(
                Topics.DEPLOY_REQUESTS,
                key,
                EventJson.toBytes(invalid),
                headers(invalidId, EventType.DEPLOYMENT_REQUESTED));

        UUID wrongTypeId = UUID.randomUUID();
        byte[] wrongTypeValue = request(UUID.randomUUID(), app).payload();
        TestKafka.produce(
                Topics.DEPLOY_REQUESTS, key, wrongTypeValue, headers(wrongTypeId, EventType.DEPLOYMENT_STATUS));

        UUID good = UUID.randomUUID();
        TestKafka.produce(request(good, app));
        Api.awaitPhase(good, "PROGRESSING");

        await().untilAsserted(() -> {
            assertThat(reason(garbageId)).extracting(Violation::rule).contains("malformed");
            assertThat(reason(invalidId))
                    .extracting(Violation::path, Violation::rule)
                    .contains(org.assertj.core.groups.Tuple.tuple("spec.ports[0].containerPort", "schema.maximum"));
            assertThat(reason(wrongTypeId))
                    .extracting(Violation::path, Violation::rule)
                    .contains(org.assertj.core.groups.Tuple.tuple("headers.ce_type", "event-type"));
        });
        ConsumerRecord<byte[], byte[]> deadGarbage = deadLetter(garbageId).orElseThrow();
        assertThat(deadGarbage.value()).isEqualTo(garbage);
        assertThat(deadGarbage.key()).isEqualTo(key);
        assertThat(TestKafka.header(deadGarbage, DeadLetter.SOURCE_TOPIC_HEADER))
                .isEqualTo(Topics.DEPLOY_REQUESTS);
        // the invalid request named its deployment: it is announced FAILED, with the rule that was broken
        await().untilAsserted(() -> assertThat(TestKafka.statuses(invalidDeployment))
                .singleElement()
                .satisfies(status -> {
                    assertThat(status.phase()).isEqualTo(DeploymentPhase.FAILED);
                    assertThat(status.message())
                            .contains("spec.ports[0].containerPort")
                            .contains("[schema.maximum]");
                }));
    }

    @Test
    void deadLettersUnknownSpecFieldsByNameButToleratesUnknownEnvelopeFields() {
        String app = uniqueApp("strict");
        byte[] key = TestKafka.utf8(EventKeys.deployment(RegistryStandIn.LOCAL, NS, app));

        UUID strictDeployment = UUID.randomUUID();
        ObjectNode unknownInSpec = EventJson.mapper()
                .valueToTree(DeploymentRequested.apply(
                        strictDeployment, RegistryStandIn.LOCAL, NS, Requests.sealed(spec(app)), CI, Instant.now()));
        ((ObjectNode) unknownInSpec.get("spec")).put("privileged", true).put("replica", 3);
        UUID strictId = UUID.randomUUID();
        TestKafka.produce(
                Topics.DEPLOY_REQUESTS,
                key,
                EventJson.toBytes(unknownInSpec),
                headers(strictId, EventType.DEPLOYMENT_REQUESTED));

        UUID tolerantDeployment = UUID.randomUUID();
        ObjectNode unknownInEnvelope = EventJson.mapper()
                .valueToTree(DeploymentRequested.apply(
                        tolerantDeployment, RegistryStandIn.LOCAL, NS, Requests.sealed(spec(app)), CI, Instant.now()));
        unknownInEnvelope.put("pipelineRun", "build-1234");
        UUID tolerantId = UUID.randomUUID();
        TestKafka.produce(
                Topics.DEPLOY_REQUESTS,
                key,
                EventJson.toBytes(unknownInEnvelope),
                headers(tolerantId, EventType.DEPLOYMENT_REQUESTED));
        Api.awaitPhase(tolerantDeployment, "PROGRESSING");

        await().untilAsserted(() -> assertThat(reason(strictId))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("spec.privileged", "unknown-field", "unknown field"),
                        org.assertj.core.groups.Tuple.tuple(
                                "spec.replica", "unknown-field", "unknown field; did you mean replicas?")));
        assertThat(deadLetter(strictId).orElseThrow().value()).isEqualTo(EventJson.toBytes(unknownInSpec));
        assertThat(deadLetter(tolerantId)).isEmpty();
        await().untilAsserted(() -> assertThat(TestKafka.statuses(strictDeployment))
                .singleElement()
                .satisfies(status -> {
                    assertThat(status.phase()).isEqualTo(DeploymentPhase.FAILED);
                    assertThat(status.message()).contains("spec.privileged").contains("spec.replica");
                }));
    }

    @Test
    void deadLettersARequestForAnUnknownOrchestrator() {
        UUID deploymentId = UUID.randomUUID();
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                CI_SOURCE,
                DeploymentRequested.apply(deploymentId, "nowhere", "shop", spec(uniqueApp("lost")), CI, Instant.now()));
        TestKafka.produce(event);
        await().untilAsserted(() -> assertThat(reason(event.id()))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orchestrator", "unknown-orchestrator")));
        await().untilAsserted(() -> assertThat(TestKafka.statuses(deploymentId))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactly(DeploymentPhase.FAILED));
    }

    @Test
    void holdsARequestWhileTheRegistryIsDownAndTakesItOnceTheRegistryAnswers() {
        // the orchestrator's groups decide whether the token's caller may deploy: the request waits for them
        UUID deploymentId = UUID.randomUUID();
        RegistryStandIn.current().failNextCalls(RegistryStandIn.FLAKY, 3);
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                CI_SOURCE,
                DeploymentRequested.apply(
                        deploymentId, RegistryStandIn.FLAKY, NS, spec(uniqueApp("patient")), CI, Instant.now()));
        TestKafka.produce(event);
        Api.awaitPhase(deploymentId, "PROGRESSING");
        assertThat(RegistryStandIn.current().failedCalls(RegistryStandIn.FLAKY)).isEqualTo(3);
        assertThat(deadLetter(event.id())).isEmpty();
    }

    @Test
    void deadLettersARollbackToARevisionTheAppNeverHad() {
        String app = uniqueApp("rollback");
        UUID first = UUID.randomUUID();
        TestKafka.produce(request(first, app));
        Api.awaitPhase(first, "PROGRESSING");
        UUID rollback = UUID.randomUUID();
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                CI_SOURCE,
                DeploymentRequested.rollback(rollback, RegistryStandIn.LOCAL, NS, app, 7, CI, Instant.now()));
        TestKafka.produce(event);
        Api.awaitPhase(rollback, "FAILED");
        Api.get(rollback).then().body("message", org.hamcrest.Matchers.containsString("unknown-revision"));
        await().untilAsserted(() ->
                assertThat(reason(event.id())).extracting(Violation::path).containsExactly("targetRevision"));
    }

    @Test
    void forgetsEventIdsOnlyAfterTheirRetention() {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        TestDb.update(
                "insert into processed_events values (?, 'test', now() - interval '15 days'), (?, 'test', now())",
                old,
                recent);
        assertThat(runner.onNewContext(housekeeping::forgetOldEventIds).await().atMost(Duration.ofSeconds(30)))
                .isGreaterThanOrEqualTo(1);
        assertThat(TestDb.column("select event_id from processed_events where event_id in (?, ?)", old, recent))
                .containsExactly(recent.toString());
    }

    private static EventEnvelope<DeploymentRequested> request(UUID deploymentId, String app) {
        return EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                CI_SOURCE,
                DeploymentRequested.apply(deploymentId, RegistryStandIn.LOCAL, NS, spec(app), CI, Instant.now()));
    }

    private static Map<String, byte[]> headers(UUID id, EventType<?> type) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.SPEC_VERSION, TestKafka.utf8("1.0"));
        headers.put(CloudEventHeaders.ID, TestKafka.utf8(id.toString()));
        headers.put(CloudEventHeaders.SOURCE, TestKafka.utf8(CI_SOURCE));
        headers.put(CloudEventHeaders.TYPE, TestKafka.utf8(type.name()));
        headers.put(CloudEventHeaders.CONTENT_TYPE, TestKafka.utf8("application/json"));
        return Requests.signed(headers, Requests.deployerToken());
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> deadLetter(UUID eventId) {
        return TestKafka.deadLetter(eventId);
    }

    private static List<Violation> reason(UUID eventId) {
        return TestKafka.deadLetterReason(eventId);
    }
}
