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
import dev.windlass.deployer.testing.ScriptedCluster.Call;
import dev.windlass.deployer.testing.SwitchableCluster;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the pipeline reacts to what a cluster answers, with a scripted cluster in place of a real one. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class PipelineTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;

    @Inject
    RolloutTracker tracker;

    @Inject
    Recovery recovery;

    private ScriptedCluster cluster;

    @BeforeEach
    void scriptTheCluster() {
        cluster = new ScriptedCluster();
        SwitchableCluster.script(cluster);
    }

    @AfterEach
    void backToTheRealCluster() {
        SwitchableCluster.reset();
    }

    @Test
    void retriesTransientFailuresThenGoesOn() {
        String app = uniqueApp("transient");
        cluster.failApply(app, 503, true, "the API server is busy").failApply(app, 0, true, "connection reset");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        cluster.finishRollout(app, RolloutState.SUCCEEDED, "1 of 1 replicas available");
        Api.awaitPhase(id, "SUCCEEDED");
        assertThat(cluster.calls("apply", app)).hasSize(3);
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
        // retry notes repeat APPLYING with what is retried; every other phase comes once, in order
        await().untilAsserted(() -> assertThat(TestKafka.phaseStatuses(id))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactly(
                        DeploymentPhase.ACCEPTED,
                        DeploymentPhase.APPLYING,
                        DeploymentPhase.PROGRESSING,
                        DeploymentPhase.SUCCEEDED));
        assertThat(TestKafka.statuses(id))
                .filteredOn(status -> status.message().startsWith("retrying "))
                .allSatisfy(note -> assertThat(note.phase()).isEqualTo(DeploymentPhase.APPLYING));
    }

    @Test
    void aRevisionIsRenderedOnceAndItsApplyIsHandedThoseObjects() {
        String app = uniqueApp("rendered");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        cluster.finishRollout(app, RolloutState.SUCCEEDED, "1 of 1 replicas available");
        Api.awaitPhase(id, "SUCCEEDED");

        assertThat(cluster.calls("render", app)).hasSize(1);
        assertThat(cluster.appliedRendered(app))
                .singleElement()
                .satisfies(objects ->
                        assertThat(objects).containsSame(cluster.rendered(app).get(0)));
    }

    @Test
    void aDeploymentBeingRetriedSaysWhatIsRetriedAndWhyThenFailsWithTheLastReason() {
        String app = uniqueApp("retried");
        CompletableFuture<Void> release = new CompletableFuture<>();
        cluster.failApply(app, 0, true, "apply Deployment demo/" + app + ": cannot reach the API server: refused");
        cluster.onApply(
                app,
                call -> io.smallrye.mutiny.Uni.createFrom()
                        .completionStage(release)
                        .onItem()
                        .transformToUni(done -> io.smallrye.mutiny.Uni.createFrom()
                                .<dev.windlass.deployer.kubernetes.ApplyResult>failure(
                                        new dev.windlass.deployer.kubernetes.ClusterException(
                                                "apply Deployment demo/" + app + ": TLS handshake timed out",
                                                0,
                                                true,
                                                null))));
        for (int i = 0; i < 3; i++) {
            cluster.failApply(app, 0, true, "apply Deployment demo/" + app + ": TLS handshake timed out");
        }
        try (dev.windlass.devstack.LogCapture logs = new dev.windlass.devstack.LogCapture()) {
            UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
            // while the second attempt hangs, the deployment's message says what is retried, why and until when
            await().untilAsserted(() -> Api.get(id)
                    .then()
                    .body("phase", org.hamcrest.Matchers.equalTo("APPLYING"))
                    .body(
                            "message",
                            org.hamcrest.Matchers.allOf(
                                    org.hamcrest.Matchers.startsWith("retrying apply Deployment demo/" + app
                                            + ": cannot reach the API server: refused (attempt 1; gives up within"),
                                    org.hamcrest.Matchers.containsString("m)"))));
            await().untilAsserted(() -> assertThat(TestKafka.statuses(id)).anySatisfy(status -> {
                assertThat(status.phase()).isEqualTo(DeploymentPhase.APPLYING);
                assertThat(status.message()).startsWith("retrying apply Deployment demo/" + app);
            }));
            release.complete(null);

            Api.awaitPhase(id, "FAILED");
            Api.get(id)
                    .then()
                    .body(
                            "message",
                            org.hamcrest.Matchers.equalTo("gave up after 5 attempts: apply Deployment demo/" + app
                                    + ": TLS handshake timed out"));
            assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "FAILED");
            // one WARN line per deployment and kind of failure, however often it was retried
            assertThat(logs.lines())
                    .filteredOn(line -> line.contains("deployment " + id + ": retrying"))
                    .hasSize(2);
        }
    }

    @Test
    void givesUpOnTransientFailuresAfterTheLastAttempt() {
        String app = uniqueApp("exhausted");
        for (int i = 0; i < 5; i++) {
            cluster.failApply(app, 503, true, "the API server is busy");
        }
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "FAILED");
        assertThat(cluster.calls("apply", app)).hasSize(5);
        Api.get(id)
                .then()
                .body("message", org.hamcrest.Matchers.equalTo("gave up after 5 attempts: the API server is busy"));
    }

    @Test
    void failsAtOnceOnAPermanentFailureWithTheServersReason() {
        String app = uniqueApp("permanent");
        String reason = "deployments.apps \"" + app + "\" is forbidden: User \"system:serviceaccount:x:y\" cannot"
                + " patch resource \"deployments\" in API group \"apps\" in the namespace \"" + NS + "\"";
        cluster.failApply(app, 403, false, reason);
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "FAILED");
        assertThat(cluster.calls("apply", app)).hasSize(1);
        Api.get(id).then().body("message", org.hamcrest.Matchers.equalTo(reason));
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "FAILED");
    }

    @Test
    void oneAppAppliesInOrderWhileOthersGoAhead() {
        String app = uniqueApp("ordered");
        String other = uniqueApp("other");
        CompletableFuture<Void> release = new CompletableFuture<>();
        cluster.holdApply(app, release);
        UUID first = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        UUID second = Api.deploy(RegistryStandIn.LOCAL, null, spec(app, "registry.example.com/shop/storefront:2"));
        await().until(() -> cluster.calls("apply", app).size() == 1);
        UUID elsewhere = Api.deploy(RegistryStandIn.LOCAL, null, spec(other));
        Api.awaitPhase(elsewhere, "PROGRESSING");
        Api.awaitPhase(second, "ACCEPTED");
        await().during(Duration.ofSeconds(1))
                .until(() -> cluster.calls("apply", app).size() == 1);
        release.complete(null);
        Api.awaitPhase(second, "PROGRESSING");
        assertThat(cluster.calls("apply", app)).extracting(Call::revision).containsExactly(1, 2);
        // the newer revision took over while the first was still rolling out
        assertThat(Api.phase(first)).isEqualTo("SUPERSEDED");
        assertThat(TestDb.phases(first)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUPERSEDED");
    }

    @Test
    void followsProgressingRolloutsAgainAfterARestart() {
        String app = uniqueApp("resumed");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        // as if the process had stopped: nothing follows the rollout any more
        tracker.stop(id);
        assertThat(tracker.watching()).doesNotContain(id);
        recovery.resume().await().atMost(Duration.ofSeconds(30));
        await().until(() -> tracker.watching().contains(id));
        assertThat(cluster.calls("track", app)).hasSize(2);
        cluster.finishRollout(app, RolloutState.SUCCEEDED, "available");
        Api.awaitPhase(id, "SUCCEEDED");
    }

    @Test
    void failedRolloutsAreFailedDeployments() {
        String app = uniqueApp("rollout-failed");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        cluster.finishRollout(app, RolloutState.FAILED, "ProgressDeadlineExceeded: not available within PT25S");
        Api.awaitPhase(id, "FAILED");
        Api.get(id).then().body("message", org.hamcrest.Matchers.startsWith("ProgressDeadlineExceeded"));
        assertThat(List.of(Api.phase(id))).containsExactly("FAILED");
    }
}
