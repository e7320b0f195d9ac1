package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.app.HealthStatus;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each health rule on real objects: created in the dev-stack API server, their status written through the status
 * subresource as the controllers and the kubelet would write it, read back, then assessed.
 */
class HealthRulesTest {

    private final KubernetesClient admin = TestClusters.kube().adminClient();
    private final String namespace = namespace();

    @Test
    void aDeploymentIsSuspendedWhenPausedProgressingUntilRolledOutDegradedPastItsDeadline() {
        assertThat(deployment("paused", d -> d.editSpec().withPaused(true).endSpec(), null))
                .isEqualTo(Health.of(HealthStatus.Suspended, "Deployment is paused"));
        assertThat(deployment("unseen", d -> d, null).status())
                .as("the controller has not observed its generation")
                .isEqualTo(HealthStatus.Progressing);
        assertThat(deployment("updating", d -> d, status(1, 0, 0, 0, null)))
                .isEqualTo(Health.of(
                        HealthStatus.Progressing, "Waiting for rollout to finish: 0 of 2 new replicas updated"));
        assertThat(deployment("terminating", d -> d, status(3, 2, 2, 2, null)))
                .isEqualTo(Health.of(
                        HealthStatus.Progressing, "Waiting for rollout to finish: 1 old replicas pending termination"));
        assertThat(deployment("starting", d -> d, status(2, 2, 1, 1, null)))
                .isEqualTo(Health.of(
                        HealthStatus.Progressing, "Waiting for rollout to finish: 1 of 2 updated replicas available"));
        assertThat(deployment("late", d -> d, status(2, 2, 1, 1, "ProgressDeadlineExceeded")))
                .isEqualTo(Health.of(HealthStatus.Degraded, "Deployment late exceeded its progress deadline"));
        assertThat(deployment("done", d -> d, status(2, 2, 2, 2, "NewReplicaSetAvailable")))
                .isEqualTo(Health.healthy());
    }

    @Test
    void aPodIsDegradedWhileItsContainerCrashLoopsCannotPullOrWasOomKilled() {
        Health crashLoop = pod(
                "crash",
                running(
                        false,
                        container(false, 4)
                                .withNewState()
                                .withNewWaiting()
                                .withReason("CrashLoopBackOff")
                                .withMessage("back-off 40s restarting failed container=app")
                                .endWaiting()
                                .endState()
                                .withNewLastState()
                                .withNewTerminated()
                                .withReason("Error")
                                .withExitCode(1)
                                .endTerminated()
                                .endLastState()
                                .build()));
        assertThat(crashLoop.status()).isEqualTo(HealthStatus.Degraded);
        assertThat(crashLoop.message())
                .isEqualTo("app: CrashLoopBackOff (last terminated: Error, exit code 1):"
                        + " back-off 40s restarting failed container=app");

        Health pull = pod(
                "pull",
                pending(container(false, 0)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"nowhere/app:1\"")
                        .endWaiting()
                        .endState()
                        .build()));
        assertThat(pull)
                .isEqualTo(Health.of(
                        HealthStatus.Degraded, "app: ImagePullBackOff: Back-off pulling image \"nowhere/app:1\""));

        Health oom = pod(
                "oom",
                running(
                        false,
                        container(false, 1)
                                .withNewState()
                                .withNewRunning()
                                .endRunning()
                                .endState()
                                .withNewLastState()
                                .withNewTerminated()
                                .withReason("OOMKilled")
                                .withExitCode(137)
                                .endTerminated()
                                .endLastState()
                                .build()));
        assertThat(oom)
                .as("running again after an OOM kill but not ready")
                .isEqualTo(Health.of(
                        HealthStatus.Degraded, "not ready; a container terminated: OOMKilled, exit code 137"));
    }

    @Test
    void aPodIsProgressingWhilePendingOrStartingAndHealthyWhenReady() {
        assertThat(pod("scheduling", new PodStatusBuilder().withPhase("Pending").build())
                        .status())
                .isEqualTo(HealthStatus.Progressing);
        assertThat(pod(
                                "starting",
                                running(
                                        false,
                                        container(false, 0)
                                                .withNewState()
                                                .withNewRunning()
                                                .endRunning()
                                                .endState()
                                                .build()))
                        .status())
                .isEqualTo(HealthStatus.Progressing);
        assertThat(pod(
                                "ready",
                                running(
                                        true,
                                        container(true, 0)
                                                .withNewState()
                                                .withNewRunning()
                                                .endRunning()
                                                .endState()
                                                .build()))
                        .status())
                .isEqualTo(HealthStatus.Healthy);
        assertThat(pod(
                        "failed",
                        new PodStatusBuilder()
                                .withPhase("Failed")
                                .withContainerStatuses(container(false, 0)
                                        .withNewState()
                                        .withNewTerminated()
                                        .withReason("OOMKilled")
                                        .withExitCode(137)
                                        .endTerminated()
                                        .endState()
                                        .build())
                                .build()))
                .isEqualTo(Health.of(HealthStatus.Degraded, "app: OOMKilled"));
    }

    @Test
    void aLoadBalancerServiceAndAnIngressAreProgressingUntilTheyHaveAnAddress() {
        Service lb = admin.services()
                .inNamespace(namespace)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("lb")
                        .endMetadata()
                        .withNewSpec()
                        .withType("LoadBalancer")
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .withSelector(Map.of("app", "x"))
                        .endSpec()
                        .build())
                .create();
        assertThat(HealthRules.of(lb))
                .contains(Health.of(HealthStatus.Progressing, "waiting for the load balancer to assign an address"));
        Service addressed = admin.services()
                .inNamespace(namespace)
                .withName("lb")
                .editStatus(s -> new ServiceBuilder(s)
                        .withNewStatus()
                        .withNewLoadBalancer()
                        .addNewIngress()
                        .withIp("192.0.2.10")
                        .endIngress()
                        .endLoadBalancer()
                        .endStatus()
                        .build());
        assertThat(HealthRules.of(addressed)).contains(Health.healthy());
        assertThat(HealthRules.address(addressed)).contains("192.0.2.10");
        Service cluster = admin.services()
                .inNamespace(namespace)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("internal")
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        assertThat(HealthRules.of(cluster)).contains(Health.healthy());

        Ingress ingress = admin.network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .resource(new IngressBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withNewDefaultBackend()
                        .withNewService()
                        .withName("internal")
                        .withNewPort()
                        .withNumber(80)
                        .endPort()
                        .endService()
                        .endDefaultBackend()
                        .endSpec()
                        .build())
                .create();
        assertThat(HealthRules.of(ingress).orElseThrow().status()).isEqualTo(HealthStatus.Progressing);
        Ingress routed = admin.network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .withName("web")
                .editStatus(i -> new IngressBuilder(i)
                        .withNewStatus()
                        .withNewLoadBalancer()
                        .addNewIngress()
                        .withHostname("lb.example.com")
                        .endIngress()
                        .endLoadBalancer()
                        .endStatus()
                        .build());
        assertThat(HealthRules.of(routed)).contains(Health.healthy());
    }

    @Test
    void aClaimIsProgressingWhilePendingHealthyWhenBoundDegradedWhenLost() {
        assertThat(claim("pending", "Pending"))
                .isEqualTo(Health.of(HealthStatus.Progressing, "waiting for a volume to be bound"));
        assertThat(claim("bound", "Bound")).isEqualTo(Health.healthy());
        assertThat(claim("lost", "Lost")).isEqualTo(Health.of(HealthStatus.Degraded, "the claim lost its volume"));
    }

    @Test
    void anObjectBeingDeletedIsProgressingAndASecretHasNoHealthRule() {
        admin.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("kept")
                        .withFinalizers("windlass.dev/test-hold")
                        .endMetadata()
                        .withStringData(Map.of("k", "v"))
                        .build())
                .create();
        assertThat(HealthRules.of(
                        admin.secrets().inNamespace(namespace).withName("kept").get()))
                .isEmpty();
        admin.secrets().inNamespace(namespace).withName("kept").delete();
        HasMetadata deleting =
                admin.secrets().inNamespace(namespace).withName("kept").get();
        assertThat(HealthRules.of(deleting)).contains(Health.of(HealthStatus.Progressing, "Pending deletion"));
        admin.secrets()
                .inNamespace(namespace)
                .withName("kept")
                .edit(s -> new SecretBuilder(s)
                        .editMetadata()
                        .withFinalizers()
                        .endMetadata()
                        .build());
    }

    @Test
    void theWorstOfTwoFollowsArgoCdsOrder() {
        assertThat(HealthStatus.values())
                .containsExactly(
                        HealthStatus.Healthy,
                        HealthStatus.Suspended,
                        HealthStatus.Progressing,
                        HealthStatus.Missing,
                        HealthStatus.Degraded,
                        HealthStatus.Unknown);
        assertThat(HealthStatus.worse(HealthStatus.Missing, HealthStatus.Degraded))
                .isEqualTo(HealthStatus.Degraded);
        assertThat(HealthStatus.worse(HealthStatus.Progressing, null)).isEqualTo(HealthStatus.Progressing);
    }

    private Health deployment(
            String name,
            UnaryOperator<DeploymentBuilder> shape,
            io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
        Deployment created = admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(shape.apply(new DeploymentBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .withNewSpec()
                                .withReplicas(2)
                                .withNewSelector()
                                .addToMatchLabels("app", name)
                                .endSelector()
                                .withNewTemplate()
                                .withNewMetadata()
                                .addToLabels("app", name)
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("app")
                                .withImage("registry.example.com/app:1")
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec())
                        .build())
                .create();
        if (status != null) {
            status.setObservedGeneration(created.getMetadata().getGeneration());
            created = admin.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name)
                    .editStatus(d -> new DeploymentBuilder(d).withStatus(status).build());
        }
        return HealthRules.of(created).orElseThrow();
    }

    private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(
            int replicas, int updated, int ready, int available, String progressingReason) {
        DeploymentStatusBuilder status = new DeploymentStatusBuilder()
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available);
        if (progressingReason != null) {
            status.withConditions(new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("ProgressDeadlineExceeded".equals(progressingReason) ? "False" : "True")
                    .withReason(progressingReason)
                    .build());
        }
        return status.build();
    }

    private Health pod(String name, PodStatus status) {
        admin.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("registry.example.com/app:1")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        Pod reported = admin.pods()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(p -> new PodBuilder(p).withStatus(status).build());
        return HealthRules.of(reported).orElseThrow();
    }

    private static PodStatus running(boolean ready, ContainerStatus container) {
        return new PodStatusBuilder()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .withContainerStatuses(container)
                .build();
    }

    private static PodStatus pending(ContainerStatus container) {
        return new PodStatusBuilder()
                .withPhase("Pending")
                .withContainerStatuses(container)
                .build();
    }

    static ContainerStatusBuilder container(boolean ready, int restarts) {
        return new ContainerStatusBuilder()
                .withName("app")
                .withImage("registry.example.com/app:1")
                .withImageID("")
                .withReady(ready)
                .withRestartCount(restarts);
    }

    private Health claim(String name, String phase) {
        admin.persistentVolumeClaims()
                .inNamespace(namespace)
                .resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withNewResources()
                        .withRequests(Map.of("storage", new Quantity("1Gi")))
                        .endResources()
                        .endSpec()
                        .build())
                .create();
        PersistentVolumeClaim reported = admin.persistentVolumeClaims()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(c -> new PersistentVolumeClaimBuilder(c)
                        .withNewStatus()
                        .withPhase(phase)
                        .endStatus()
                        .build());
        return HealthRules.of(reported).orElseThrow();
    }

    private String namespace() {
        String name = TestClusters.namespace("health");
        TestClusters.kube().ensureNamespace(name);
        return name;
    }
}
