package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node simulator through the real API server: ReplicaSets and Pods of a Deployment's template with the
 * statuses a kubelet reports, crash loops, failed pulls and OOM kills chosen by image or annotation, logs read
 * through {@code pods/log}, a stuck rollout that keeps the old Pods and passes its progress deadline, and clean-up
 * when the Deployment goes.
 */
class NodeSimulatorPodsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KubernetesClient admin;
    private static NodeSimulator simulator;

    @BeforeAll
    static void start() {
        admin = DevStack.kube().adminClient();
        simulator = NodeSimulator.start(admin);
    }

    @AfterAll
    static void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aRunningPodThenACrashLoopingRevisionWhoseLogIsReadThroughTheApiServer() {
        String namespace = namespace("sim-crash");
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deployment("web", "nginx:1.27", Map.of(), null))
                .create();

        Pod first = awaitPods(namespace, "web", 1).get(0);
        assertThat(first.getStatus().getPhase()).isEqualTo("Running");
        assertThat(first.getSpec().getNodeName()).isEqualTo(NodeSimulator.NODE_NAME);
        assertThat(first.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicaSet");
        ReplicaSet firstSet = admin.apps()
                .replicaSets()
                .inNamespace(namespace)
                .withName(first.getMetadata().getOwnerReferences().get(0).getName())
                .get();
        assertThat(firstSet.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("web");
        Awaitility.await().atMost(WAIT).until(() -> NodeSimulator.rolledOut(get(namespace, "web")));
        assertThat(log(namespace, first.getMetadata().getName(), false)).contains("listening and ready");

        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName("web")
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .editTemplate()
                        .editSpec()
                        .editFirstContainer()
                        .withImage("registry.example.com/crash-loop:2")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());

        List<Pod> pods = awaitPods(namespace, "web", 2);
        Pod crashing = pods.stream()
                .filter(p ->
                        !p.getMetadata().getName().equals(first.getMetadata().getName()))
                .findFirst()
                .orElseThrow();
        ContainerStatus container = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(container.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(container.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(container.getRestartCount()).isPositive();
        assertThat(container.getReady()).isFalse();
        // the old Pod keeps serving while the new one cannot start, as with a real rolling update
        assertThat(pods)
                .extracting(p -> p.getMetadata().getName())
                .contains(first.getMetadata().getName());
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            Deployment now = get(namespace, "web");
            assertThat(now.getStatus().getObservedGeneration())
                    .isEqualTo(now.getMetadata().getGeneration());
            assertThat(now.getStatus().getUpdatedReplicas()).isEqualTo(1);
            assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(1);
            assertThat(now.getStatus().getReplicas()).isEqualTo(2);
        });
        assertThat(NodeSimulator.rolledOut(get(namespace, "web"))).isFalse();
        String crashLog = log(namespace, crashing.getMetadata().getName(), true);
        assertThat(crashLog).contains("fatal: cannot reach the database").contains("MODE=test");
        assertThat(log(namespace, crashing.getMetadata().getName(), false)).isEqualTo(crashLog);

        admin.apps().deployments().inNamespace(namespace).withName("web").delete();
        Awaitility.await()
                .atMost(WAIT)
                .until(() ->
                        admin.pods().inNamespace(namespace).list().getItems().isEmpty()
                                && admin.apps()
                                        .replicaSets()
                                        .inNamespace(namespace)
                                        .list()
                                        .getItems()
                                        .isEmpty());
    }

    @Test
    void anAnnotationChoosesAFailedPullOrAnOomKillAndTheDeadlinePasses() {
        String namespace = namespace("sim-pull");
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deployment(
                        "pull", "nginx:1.27", Map.of(NodeSimulator.BEHAVIOUR_ANNOTATION, "image-pull-backoff"), 2))
                .create();
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(
                        deployment("oom", "nginx:1.27", Map.of(NodeSimulator.BEHAVIOUR_ANNOTATION, "oom-killed"), null))
                .create();

        Pod pulling = awaitPods(namespace, "pull", 1).get(0);
        assertThat(pulling.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pulling.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getWaiting()
                        .getReason())
                .isEqualTo("ImagePullBackOff");
        Pod oom = awaitPods(namespace, "oom", 1).get(0);
        assertThat(oom.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getLastState()
                        .getTerminated()
                        .getReason())
                .isEqualTo("OOMKilled");

        // progressDeadlineSeconds: 2 on "pull"
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(progressing(get(namespace, "pull")))
                        .satisfies(c -> {
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
                        }));
    }

    private static String namespace(String prefix) {
        String namespace = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        DevStack.kube().ensureNamespace(namespace);
        return namespace;
    }

    private static Deployment deployment(
            String name, String image, Map<String, String> templateAnnotations, Integer deadlineSeconds) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withProgressDeadlineSeconds(deadlineSeconds)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .withAnnotations(templateAnnotations)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage(image)
                .addNewEnv()
                .withName("MODE")
                .withValue("test")
                .endEnv()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static List<Pod> awaitPods(String namespace, String app, int count) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> admin.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                                .filter(p -> p.getStatus() != null
                                        && p.getStatus().getContainerStatuses() != null
                                        && !p.getStatus().getContainerStatuses().isEmpty())
                                .toList(),
                        pods -> pods.size() == count);
    }

    private static Deployment get(String namespace, String name) {
        return admin.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static DeploymentCondition progressing(Deployment deployment) {
        return deployment.getStatus().getConditions().stream()
                .filter(c -> "Progressing".equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    private static String log(String namespace, String pod, boolean previous) {
        var container = admin.pods().inNamespace(namespace).withName(pod).inContainer("app");
        return previous ? container.terminated().getLog() : container.getLog();
    }
}
