package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.events.app.HealthStatus;
import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An app's live objects read from the dev-stack API server after a real apply: the tree under its Deployment built
 * from its Pods, each object assessed, objects gone or taken by another owner Missing, a Secret's data never read
 * into the result.
 */
class LiveObjectsTest {

    private static final String APP = "web";

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final ObjectRenderer renderer = TestClusters.renderer();
    private final RevisionApplier revisions = TestClusters.revisions();
    private final ClusterConnection cluster = TestClusters.admin("local");

    @Test
    void theDeploymentsPodsHangUnderTheirReplicaSetsAndACrashLoopingOneMakesItDegraded() {
        String namespace = TestClusters.namespace("live");
        RenderedApp app = renderer.render(namespace, AppSpecs.full(APP), 1);
        revisions.apply(admin, cluster, app, PruneScope.of(List.of()));
        Kubelet.rollOut(admin, namespace, APP);
        pod(
                namespace,
                "web-7d9f-a",
                "web-7d9f",
                true,
                HealthRulesTest.container(true, 0)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build());
        pod(
                namespace,
                "web-7d9f-b",
                "web-7d9f",
                false,
                HealthRulesTest.container(false, 6)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage("back-off 2m40s restarting failed container")
                        .endWaiting()
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withReason("OOMKilled")
                        .withExitCode(137)
                        .endTerminated()
                        .endLastState()
                        .build());

        List<LiveObject> live = read(namespace, app.refs());

        LiveObject deployment = only(live, "Deployment", APP);
        assertThat(deployment.health()).isEqualTo(Health.healthy());
        assertThat(deployment.children())
                .extracting(LiveObject::kind, LiveObject::name)
                .containsExactly(tuple("ReplicaSet", "web-7d9f"));
        LiveObject replicaSet = deployment.children().get(0);
        assertThat(replicaSet.health().status()).isEqualTo(HealthStatus.Degraded);
        assertThat(replicaSet.children()).extracting(LiveObject::name).containsExactly("web-7d9f-a", "web-7d9f-b");
        LiveObject crashing = replicaSet.children().get(1);
        assertThat(crashing.health().status()).isEqualTo(HealthStatus.Degraded);
        assertThat(crashing.details())
                .containsEntry("phase", "Running")
                .containsEntry("ready", "0/1")
                .containsEntry("restarts", "6")
                .containsEntry("node", "node-a")
                .containsEntry("waiting", "CrashLoopBackOff")
                .containsEntry("lastTermination", "OOMKilled, exit code 137");
        assertThat(replicaSet.children().get(0).health()).isEqualTo(Health.healthy());
        assertThat(deployment.worst()).isEqualTo(HealthStatus.Degraded);

        LiveObject secret = only(live, "Secret", "web-env");
        assertThat(secret.health()).as("no health rule for Secrets").isNull();
        assertThat(secret.details()).isEmpty();
        assertThat(live.toString()).doesNotContain(AppSpecs.SECRET_VALUE);
        assertThat(only(live, "Service", "web-lb").health().status()).isEqualTo(HealthStatus.Progressing);
        assertThat(only(live, "Service", "web-lb").details()).containsEntry("type", "LoadBalancer");
        assertThat(only(live, "PersistentVolumeClaim", "web-data").details()).containsEntry("phase", "Pending");
    }

    @Test
    void anObjectDeletedOrTakenByAnotherOwnerIsMissingAndOneOfAnUnknownKindIsUnknown() {
        String namespace = TestClusters.namespace("drift");
        RenderedApp app = renderer.render(namespace, AppSpecs.full(APP), 1);
        revisions.apply(admin, cluster, app, PruneScope.of(List.of()));
        admin.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withName(APP)
                .delete();
        await(() -> admin.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(namespace)
                        .withName(APP)
                        .get()
                == null);
        admin.services()
                .inNamespace(namespace)
                .withName(APP)
                .edit(s -> new ServiceBuilder(s)
                        .editMetadata()
                        .addToAnnotations(ObjectOwnership.ANNOTATION, "someone-else/" + namespace + "/other")
                        .endMetadata()
                        .build());

        List<ObjectRef> refs = new ArrayList<>(app.refs());
        refs.add(new ObjectRef("ConfigMap", namespace, "settings"));
        List<LiveObject> live = read(namespace, refs);

        assertThat(only(live, "NetworkPolicy", APP).health())
                .isEqualTo(
                        Health.of(HealthStatus.Missing, "NetworkPolicy " + namespace + "/web is not on the cluster"));
        assertThat(only(live, "Service", APP).health())
                .isEqualTo(Health.of(
                        HealthStatus.Missing,
                        "Service " + namespace + "/web exists but belongs to Windlass app other in namespace "
                                + namespace + " of orchestrator someone-else"));
        assertThat(only(live, "ConfigMap", "settings").health().status()).isEqualTo(HealthStatus.Unknown);
    }

    private List<LiveObject> read(String namespace, List<ObjectRef> refs) {
        return LiveObjects.read(admin, ObjectOwnership.owner(cluster, namespace, APP), APP, refs);
    }

    private static LiveObject only(List<LiveObject> live, String kind, String name) {
        return live.stream()
                .filter(o -> o.kind().equals(kind) && o.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + live));
    }

    /** A Pod of the app as its ReplicaSet {@code owner} would create it and the kubelet report it. */
    private void pod(String namespace, String name, String owner, boolean ready, ContainerStatus container) {
        Map<String, String> labels = WindlassLabels.of(APP, 1);
        admin.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("ReplicaSet")
                        .withName(owner)
                        .withUid(UUID.randomUUID().toString())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-a")
                        .addNewContainer()
                        .withName("app")
                        .withImage(AppSpecs.DEFAULT_IMAGE)
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        admin.pods()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(p -> new PodBuilder(p)
                        .withStatus(new PodStatusBuilder()
                                .withPhase("Running")
                                .addNewCondition()
                                .withType("Ready")
                                .withStatus(ready ? "True" : "False")
                                .endCondition()
                                .withContainerStatuses(container)
                                .build())
                        .build());
    }

    private static void await(java.util.function.BooleanSupplier done) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(done::getAsBoolean);
    }
}
