package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.kubernetes.RolloutState;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.ScriptedCluster;
import dev.windlass.deployer.testing.SwitchableCluster;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.Topics;
import dev.windlass.events.deployment.DeploymentRequested;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops (fast shutdown: the deployer's pooled connections are terminated) while deployments are at every
 * step, and starts again after longer than the intake's ordinary retries last: nothing is dropped, every deployment
 * goes on to its next phase once the database is back, each phase recorded once.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class DatabaseRestartTest {

    /**
     * Longer than the intake's retries of other failures (4 retries from 1 s, doubling: at most about 22 s with
     * jitter), which once dead-lettered a request consumed during the outage.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;

    @Inject
    Recovery recovery;

    @Inject
    RolloutTracker tracker;

    private ScriptedCluster cluster;

    @BeforeEach
    void scriptTheCluster() {
        awaitTheTestPool();
        cluster = new ScriptedCluster();
        SwitchableCluster.script(cluster);
    }

    @AfterEach
    void backToTheRealCluster() {
        SwitchableCluster.reset();
    }

    @Test
    void nothingIsDroppedWhileTheDatabaseRestarts() throws InterruptedException {
        // applying: its apply returns while the database is down, so PROGRESSING must wait for it
        String applying = uniqueApp("pg-applying");
        CompletableFuture<Void> release = new CompletableFuture<>();
        cluster.holdApply(applying, release);
        UUID held = Api.deploy(RegistryStandIn.LOCAL, null, spec(applying));
        await().atMost(Api.PHASE_TIMEOUT)
                .until(() -> cluster.calls("apply", applying).size() == 1);
        // progressing: its rollout ends while the database is down, so SUCCEEDED must wait for it
        String progressing = uniqueApp("pg-progressing");
        UUID rolling = Api.deploy(RegistryStandIn.LOCAL, null, spec(progressing));
        Api.awaitPhase(rolling, "PROGRESSING");
        await().atMost(Api.PHASE_TIMEOUT).until(() -> tracker.watching().contains(rolling));
        // requested: consumed while the database is down, so the intake must hold it
        String requested = uniqueApp("pg-requested");
        UUID consumed = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> request = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/pipelines/storefront",
                DeploymentRequested.apply(
                        consumed,
                        RegistryStandIn.LOCAL,
                        NS,
                        spec(requested),
                        new Actor("ci-bot", "ci"),
                        Instant.now()));

        EmbeddedPostgres postgres = DevStack.postgres();
        postgres.stop();
        try {
            TestKafka.produce(request);
            release.complete(null);
            cluster.finishRollout(progressing, RolloutState.SUCCEEDED, "1 of 1 replicas available");
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            postgres.start();
        }

        Duration afterOutage = Api.PHASE_TIMEOUT.plus(Duration.ofMinutes(2));
        await().atMost(afterOutage)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> phaseOf(held).equals("PROGRESSING"));
        await().atMost(afterOutage)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> phaseOf(rolling).equals("SUCCEEDED"));
        await().atMost(afterOutage)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> phaseOf(consumed).equals("PROGRESSING"));

        awaitTheTestPool();
        assertThat(TestDb.phases(held)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING");
        assertThat(TestDb.phases(rolling)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
        assertThat(TestDb.phases(consumed)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING");
        assertThat(TestKafka.readAll(Topics.DEPLOY_REQUESTS_DLQ))
                .noneMatch(r -> request.id().toString().equals(TestKafka.header(r, CloudEventHeaders.ID)));
        // the held deployment was applied again once its PROGRESSING could be recorded (applying twice changes
        // nothing on a cluster) and is followed now
        assertThat(cluster.calls("apply", applying)).hasSizeGreaterThanOrEqualTo(2);
        await().atMost(Api.PHASE_TIMEOUT).until(() -> tracker.watching().contains(held));
        cluster.finishRollout(applying, RolloutState.SUCCEEDED, "1 of 1 replicas available");
        Api.awaitPhase(held, "SUCCEEDED");
        assertThat(TestDb.phases(held)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
    }

    @Test
    void theSweepFollowsAgainARolloutNobodyFollows() {
        String app = uniqueApp("pg-lost");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        await().atMost(Api.PHASE_TIMEOUT).until(() -> tracker.watching().contains(id));
        // as after a rollout result that could not be recorded through every retry
        tracker.stop(id);
        TestDb.update("update deployments set updated_at = updated_at - interval '1 hour' where id = ?", id);

        int takenUp = recovery.sweep()
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem(Api.PHASE_TIMEOUT)
                .getItem();

        assertThat(takenUp).isGreaterThanOrEqualTo(1);
        await().atMost(Api.PHASE_TIMEOUT).until(() -> tracker.watching().contains(id));
        cluster.finishRollout(app, RolloutState.SUCCEEDED, "1 of 1 replicas available");
        Api.awaitPhase(id, "SUCCEEDED");
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
    }

    /**
     * Waits until the test's own JDBC pool has let go of the connections the restart ended (each one fails once,
     * then is discarded): a run of plain queries in a row, more than the pool holds.
     */
    private static void awaitTheTestPool() {
        await().atMost(Api.PHASE_TIMEOUT).ignoreExceptions().until(() -> {
            for (int i = 0; i < 25; i++) {
                TestDb.count("select count(*) from deployments where id is null");
            }
            return true;
        });
    }

    private static String phaseOf(UUID id) {
        try {
            var response = Api.get(id);
            return response.statusCode() == 200 ? response.then().extract().path("phase") : "";
        } catch (RuntimeException e) {
            return "";
        }
    }
}
