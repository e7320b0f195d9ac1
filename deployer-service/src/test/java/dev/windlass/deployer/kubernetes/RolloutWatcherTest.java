package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.events.spec.AppSpec;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RolloutWatcherTest {

    private static final String APP = "web";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LONG_DEADLINE = Duration.ofMinutes(2);

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final ClusterConnection cluster = TestClusters.admin("rollouts");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor(), new RequestMetrics(meters));

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void reportsProgressThenSuccessWhenTheReplicasBecomeAvailable() {
        String namespace = deployed(2, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        setStatus(namespace, 2, 1, 0);
        await().atMost(WAIT).until(() -> updates.getItems().size() >= 2);
        setStatus(namespace, 2, 2, 2);

        updates.awaitCompletion(WAIT);
        assertThat(updates.getItems())
                .extracting(RolloutUpdate::state, RolloutUpdate::message)
                .containsExactly(
                        tuple(
                                RolloutState.PROGRESSING,
                                "waiting for the deployment controller to observe generation 1"),
                        tuple(
                                RolloutState.PROGRESSING,
                                "revision 1: 1 of 2 replicas updated, 0 available, 1 old pending termination"),
                        tuple(RolloutState.SUCCEEDED, "revision 1: 2 of 2 replicas updated and available"));
    }

    @Test
    void failsWithProgressDeadlineExceededWhenNothingBecomesAvailableInTime() {
        String namespace = deployed(1, 1);
        long started = System.nanoTime();

        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, Duration.ofSeconds(2));

        updates.awaitCompletion(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(updates.getItems())
                .extracting(RolloutUpdate::state)
                .containsExactly(RolloutState.PROGRESSING, RolloutState.FAILED);
        assertThat(last(updates).message())
                .isEqualTo("ProgressDeadlineExceeded: revision 1 of web not available within PT2S"
                        + " (revision 1: 0 of 1 replicas updated, 0 available)");
    }

    @Test
    void namesImagePullAndSchedulingProblemsOfThePodsWhenTheDeadlinePasses() {
        String namespace = deployed(2, 1);
        pod(namespace, "web-pull", 1);
        admin.pods()
                .inNamespace(namespace)
                .withName("web-pull")
                .editStatus(p -> new PodBuilder(p)
                        .editOrNewStatus()
                        .withPhase("Pending")
                        .addNewContainerStatus()
                        .withName(APP)
                        .withImage(AppSpecs.DEFAULT_IMAGE)
                        .withImageID("")
                        .withReady(false)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"" + AppSpecs.DEFAULT_IMAGE + "\"")
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build());
        pod(namespace, "web-pending", 1);
        admin.pods()
                .inNamespace(namespace)
                .withName("web-pending")
                .editStatus(p -> new PodBuilder(p)
                        .editOrNewStatus()
                        .withPhase("Pending")
                        .addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                        .endCondition()
                        .endStatus()
                        .build());
        pod(namespace, "web-older", 0);

        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, Duration.ofSeconds(1));

        updates.awaitCompletion(WAIT);
        assertThat(last(updates).state()).isEqualTo(RolloutState.FAILED);
        assertThat(last(updates).message())
                .startsWith("ProgressDeadlineExceeded: revision 1 of web not available within PT1S")
                .contains("; ImagePullBackOff: pod web-pull: Back-off pulling image \"" + AppSpecs.DEFAULT_IMAGE + "\"")
                .contains("; Unschedulable: pod web-pending: 0/3 nodes are available: 3 Insufficient memory.")
                .doesNotContain("web-older");
    }

    @Test
    void failsAtOnceWhenTheDeploymentControllerReportsItsOwnDeadline() {
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .editStatus(d -> new DeploymentBuilder(d)
                        .editOrNewStatus()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(1)
                        .withUpdatedReplicas(1)
                        .withConditions(new DeploymentConditionBuilder()
                                .withType("Progressing")
                                .withStatus("False")
                                .withReason("ProgressDeadlineExceeded")
                                .withMessage("ReplicaSet \"web-5d4f\" has timed out progressing.")
                                .build())
                        .endStatus()
                        .build());

        updates.awaitCompletion(WAIT);
        assertThat(last(updates))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.FAILED,
                        "ProgressDeadlineExceeded: ReplicaSet \"web-5d4f\" has timed out progressing."));
    }

    @Test
    void failsAtOnceWhenThePodsAreRefusedByAdmission() {
        // Kubernetes 1.20 has no Pod Security admission (beta in 1.23, GA in 1.25): the test writes the condition the
        // deployment controller copies from its ReplicaSet when the API server refuses the pods
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .editStatus(d -> new DeploymentBuilder(d)
                        .editOrNewStatus()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(0)
                        .withConditions(new DeploymentConditionBuilder()
                                .withType("ReplicaFailure")
                                .withStatus("True")
                                .withReason("FailedCreate")
                                .withMessage("pods \"web-5d4f-x2\" is forbidden: violates PodSecurity"
                                        + " \"restricted:latest\": runAsNonRoot != true")
                                .build())
                        .endStatus()
                        .build());

        updates.awaitCompletion(WAIT);
        assertThat(last(updates).state()).isEqualTo(RolloutState.FAILED);
        assertThat(last(updates).message())
                .startsWith("FailedCreate: pods \"web-5d4f-x2\" is forbidden: violates PodSecurity");
    }

    @Test
    void rolloutsInOneNamespaceAreFollowedOnItsObjectCacheWithoutARequestOfTheirOwn() {
        String namespace = TestClusters.namespace("shared");
        List<String> apps = List.of("web-a", "web-b", "web-c", "web-d", "web-e");
        for (String app : apps) {
            operations
                    .apply(cluster, namespace, AppSpecs.minimal(app), 1)
                    .await()
                    .atMost(WAIT);
        }
        double requests = requests();
        List<AssertSubscriber<RolloutUpdate>> followed = apps.stream()
                .map(app -> operations
                        .trackRollout(cluster, namespace, app, 1, LONG_DEADLINE)
                        .subscribe()
                        .withSubscriber(AssertSubscriber.<RolloutUpdate>create(Long.MAX_VALUE)))
                .toList();
        followed.forEach(updates -> awaitUpdates(updates, 1));

        for (String app : apps) {
            Kubelet.rollOut(admin, namespace, app);
        }

        for (AssertSubscriber<RolloutUpdate> updates : followed) {
            updates.awaitCompletion(WAIT);
            assertThat(last(updates).state()).isEqualTo(RolloutState.SUCCEEDED);
        }
        assertThat(requests() - requests)
                .as("the five rollouts followed on the namespace's watch, started by the applies")
                .isZero();
        assertThat(operations.objects().started()).isEqualTo(1);
    }

    @Test
    void aChangeMadeRightAfterTheReadReachesATrackerJoiningARunningWatch() throws Exception {
        String namespace = TestClusters.namespace("gap");
        for (String app : List.of("web-a", "web-b")) {
            operations
                    .apply(cluster, namespace, AppSpecs.minimal(app), 1)
                    .await()
                    .atMost(WAIT);
        }
        // web-a is followed and stays unfinished: the namespace's watch runs when web-b's tracker comes
        AssertSubscriber<RolloutUpdate> first = operations
                .trackRollout(cluster, namespace, "web-a", 1, LONG_DEADLINE)
                .subscribe()
                .withSubscriber(AssertSubscriber.<RolloutUpdate>create(Long.MAX_VALUE));
        awaitUpdates(first, 1);
        // web-b rolls out just after its tracker read it, and the watch has passed the change on before going further
        AtomicBoolean once = new AtomicBoolean();
        operations.rollouts().afterRead = read -> {
            if (read != null && read.getMetadata().getName().equals("web-b") && once.compareAndSet(false, true)) {
                Kubelet.rollOut(admin, namespace, "web-b");
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };

        AssertSubscriber<RolloutUpdate> second = operations
                .trackRollout(cluster, namespace, "web-b", 1, LONG_DEADLINE)
                .subscribe()
                .withSubscriber(AssertSubscriber.<RolloutUpdate>create(Long.MAX_VALUE));

        second.awaitCompletion(WAIT);
        assertThat(once).isTrue();
        assertThat(last(second).state()).isEqualTo(RolloutState.SUCCEEDED);
        first.cancel();
    }

    @Test
    void endsAsStaleWhenTheOrchestratorsClientIsDroppedAndATrackWithMaterialFetchedAgainFollowsOn() {
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        // the registry announced a change: the material this tracking was given may be out of date
        operations.forget(cluster.name());

        updates.awaitFailure(WAIT);
        assertThat(updates.getFailure()).isInstanceOf(StaleConnectionException.class);
        assertThat(((ClusterException) updates.getFailure()).isTransientFailure())
                .isTrue();
        AssertSubscriber<RolloutUpdate> again = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(again, 1);
        setStatus(namespace, 1, 1, 1);
        again.awaitCompletion(WAIT);
        assertThat(last(again).state()).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void aNewerRevisionSupersedesTheTrackedOne() {
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        operations.apply(cluster, namespace, AppSpecs.minimal(APP), 2).await().atMost(WAIT);

        updates.awaitCompletion(WAIT);
        assertThat(last(updates))
                .isEqualTo(new RolloutUpdate(RolloutState.FAILED, "Superseded: revision 2 replaced revision 1"));
    }

    @Test
    void waitsForTheRevisionWhenTheDeploymentStillRunsAnOlderOne() {
        String namespace = deployed(1, 1);

        AssertSubscriber<RolloutUpdate> updates = track(namespace, 2, LONG_DEADLINE);
        awaitUpdates(updates, 1);
        assertThat(updates.getItems())
                .containsExactly(
                        new RolloutUpdate(RolloutState.PROGRESSING, "waiting for revision 2 to reach the Deployment"));
        updates.cancel();
    }

    @Test
    void failsWhenTheDeploymentIsDeletedWhileFollowed() {
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        admin.apps().deployments().inNamespace(namespace).withName(APP).delete();

        updates.awaitCompletion(WAIT);
        assertThat(last(updates))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.FAILED, "Deleted: Deployment " + namespace + "/web was deleted"));
    }

    @Test
    void failsWhenThereIsNoDeployment() {
        String namespace = TestClusters.namespace("absent");
        TestClusters.kube().ensureNamespace(namespace);

        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);

        updates.awaitCompletion(WAIT);
        assertThat(updates.getItems())
                .containsExactly(new RolloutUpdate(
                        RolloutState.FAILED, "NotFound: Deployment " + namespace + "/web does not exist"));
    }

    @Test
    void aDeploymentTheCacheHasNotHeardOfYetIsAwaitedNotCalledMissing() {
        String namespace = TestClusters.namespace("late");
        operations
                .apply(cluster, namespace, AppSpecs.minimal("other"), 1)
                .await()
                .atMost(WAIT);
        // the namespace is watched; web is applied only once its tracker has found nothing in the cache, as when the
        // apply's watch event is still on its way
        AtomicBoolean absent = new AtomicBoolean();
        operations.rollouts().afterRead = read -> {
            if (read == null && absent.compareAndSet(false, true)) {
                admin.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .resource(admin.apps()
                                .deployments()
                                .inNamespace(namespace)
                                .withName("other")
                                .get()
                                .edit()
                                .withNewMetadata()
                                .withName(APP)
                                .withLabels(WindlassLabels.of(APP, 1))
                                .endMetadata()
                                .build())
                        .create();
            }
        };

        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        assertThat(absent).isTrue();
        assertThat(updates.getItems()).extracting(RolloutUpdate::state).containsOnly(RolloutState.PROGRESSING);
        updates.cancel();
    }

    @Test
    void credentialsThatMayNotReadTheDeploymentFailTheStream() {
        String namespace = deployed(1, 1);
        ClusterConnection blind = TestClusters.serviceAccount(
                "blind",
                namespace,
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("pods")
                        .withVerbs("get", "list")
                        .build()));

        AssertSubscriber<RolloutUpdate> updates = operations
                .trackRollout(blind, namespace, APP, 1, LONG_DEADLINE)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        updates.awaitFailure(WAIT);
        assertThat(updates.getFailure()).isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.getStatus()).isEqualTo(403);
            assertThat(e.isTransientFailure()).isFalse();
            // the namespace's informer may not list Deployments there
            assertThat(e.getMessage()).contains("deployments.apps is forbidden");
        });
    }

    @Test
    void cancellingStopsTheWatch() {
        String namespace = deployed(1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(namespace, 1, Duration.ofSeconds(2));
        awaitUpdates(updates, 1);

        updates.cancel();
        setStatus(namespace, 1, 1, 1);

        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> updates.getItems().size() == 1);
        assertThat(updates.hasCompleted()).isFalse();
    }

    /**
     * An API server of the tests that stop it, so that stopping it disturbs no other test; started on first use, closed
     * with the class.
     */
    private static KubeApiServer ownServer;

    private static synchronized KubeApiServer own() {
        if (ownServer == null) {
            ownServer = KubeApiServer.create();
            ownServer.start();
        }
        return ownServer;
    }

    @AfterAll
    static void closeOwn() {
        if (ownServer != null) {
            ownServer.close();
        }
    }

    @Test
    void aRolloutIsFollowedOnOnceTheApiServerIsBack() throws InterruptedException {
        KubeApiServer own = own();
        ClusterConnection owned = TestClusters.admin(own, "rollouts-outage");
        String namespace = deployed(owned, 1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(owned, namespace, 1, LONG_DEADLINE);
        awaitUpdates(updates, 1);

        own.stopApiServer();
        try {
            Thread.sleep(2000); // the namespace's watch has ended and is being re-established
            assertThat(updates.hasCompleted()).isFalse();
            assertThat(updates.getFailure()).isNull();
        } finally {
            own.startApiServer();
        }
        setStatus(own.adminClient(), namespace, 1, 1, 1);

        updates.awaitCompletion(WAIT);
        assertThat(last(updates).state()).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void aDeadlineThatPassesWhileTheApiServerIsAwayFailsTheFollowingNotTheRollout() {
        KubeApiServer own = own();
        ClusterConnection owned = TestClusters.admin(own, "rollouts-outage");
        String namespace = deployed(owned, 1, 1);
        AssertSubscriber<RolloutUpdate> updates = track(owned, namespace, 1, Duration.ofSeconds(4));
        awaitUpdates(updates, 1);

        own.stopApiServer();
        try {
            updates.awaitFailure(WAIT);
        } finally {
            own.startApiServer();
        }
        assertThat(updates.getItems()).extracting(RolloutUpdate::state).containsOnly(RolloutState.PROGRESSING);
        assertThat(updates.getFailure()).isInstanceOfSatisfying(ClusterException.class, e -> {
            assertThat(e.isTransientFailure())
                    .as("the rollout is followed again")
                    .isTrue();
            assertThat(e.getMessage())
                    .startsWith("rollout of revision 1 of " + namespace + "/web could not be followed within PT4S");
        });
    }

    /** A namespace with the app deployed at {@code revision} with {@code replicas}. */
    private String deployed(int replicas, int revision) {
        return deployed(cluster, replicas, revision);
    }

    /** {@link #deployed(int, int)} on the cluster of {@code target}. */
    private String deployed(ClusterConnection target, int replicas, int revision) {
        String namespace = TestClusters.namespace("rollout");
        AppSpec spec = new AppSpec(
                APP,
                AppSpecs.DEFAULT_IMAGE,
                replicas,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        operations.apply(target, namespace, spec, revision).await().atMost(WAIT);
        return namespace;
    }

    private AssertSubscriber<RolloutUpdate> track(String namespace, int revision, Duration deadline) {
        return track(cluster, namespace, revision, deadline);
    }

    private AssertSubscriber<RolloutUpdate> track(
            ClusterConnection target, String namespace, int revision, Duration deadline) {
        return operations
                .trackRollout(target, namespace, APP, revision, deadline)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    /** Writes the status a deployment controller would, for the current generation. */
    private void setStatus(String namespace, int replicas, int updated, int available) {
        setStatus(admin, namespace, replicas, updated, available);
    }

    private static void setStatus(KubernetesClient admin, String namespace, int replicas, int updated, int available) {
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(APP)
                .editStatus(d -> new DeploymentBuilder(d)
                        .editOrNewStatus()
                        .withObservedGeneration(d.getMetadata().getGeneration())
                        .withReplicas(replicas)
                        .withUpdatedReplicas(updated)
                        .withReadyReplicas(available)
                        .withAvailableReplicas(available)
                        .withConditions(new DeploymentConditionBuilder()
                                .withType("Available")
                                .withStatus(available == replicas ? "True" : "False")
                                .withReason(
                                        available == replicas
                                                ? "MinimumReplicasAvailable"
                                                : "MinimumReplicasUnavailable")
                                .build())
                        .endStatus()
                        .build());
    }

    /** A pod of the app at {@code revision}, as its ReplicaSet would create it. */
    private void pod(String namespace, String name, int revision) {
        admin.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(WindlassLabels.of(APP, revision))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(APP)
                        .withImage(AppSpecs.DEFAULT_IMAGE)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    /** Every request the deployer's clients made so far. */
    private double requests() {
        return TestClusters.requests(meters, null);
    }

    private static void awaitUpdates(AssertSubscriber<RolloutUpdate> updates, int count) {
        await().atMost(WAIT).until(() -> updates.getItems().size() >= count);
    }

    private static RolloutUpdate last(AssertSubscriber<RolloutUpdate> updates) {
        List<RolloutUpdate> items = updates.getItems();
        return items.get(items.size() - 1);
    }
}
