package dev.windlass.deployer.testing;

import dev.windlass.deployer.kubernetes.WindlassLabels;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.NodeSimulator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;

/**
 * What the dev-stack cluster lacks: it runs no controllers and no nodes, so tests report a Deployment's rollout
 * as the deployment controller would once its pods are available.
 */
public final class Kubelet {

    private Kubelet() {}

    /** Marks the Deployment's current generation as rolled out: every replica updated, ready and available. */
    public static void rollOut(String namespace, String name) {
        rollOut(DevStack.kube().adminClient(), namespace, name);
    }

    /** The same on the cluster of {@code client}. */
    public static void rollOut(KubernetesClient client, String namespace, String name) {
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
        int replicas = deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        deployment.setStatus(
                NodeSimulator.availableStatus(deployment.getMetadata().getGeneration(), replicas));
        client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }

    /**
     * A Pod as a ReplicaSet would make it, with one container {@code container} of the default image, on node
     * {@code nodeName} (null: on none); {@code pod} may add to it (owner references, say; {@code b -> b} for nothing)
     * before it is created.
     */
    public static Pod pod(
            KubernetesClient client,
            String namespace,
            String name,
            Map<String, String> labels,
            String container,
            String nodeName,
            java.util.function.UnaryOperator<PodBuilder> pod) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .addNewContainer()
                .withName(container)
                .withImage(TestSpecs.DEFAULT_IMAGE)
                .endContainer()
                .endSpec();
        return client.pods()
                .inNamespace(namespace)
                .resource(pod.apply(builder).build())
                .create();
    }

    /** Someone scales the Deployment by hand, as {@code kubectl scale} would: only {@code spec.replicas} changes. */
    public static void scaleByHand(String namespace, String name, int replicas) {
        DevStack.kube()
                .adminClient()
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .edit(d -> new DeploymentBuilder(d)
                        .editSpec()
                        .withReplicas(replicas)
                        .endSpec()
                        .build());
    }

    /**
     * A Pod of the app's revision-1 ReplicaSet, named {@code <app>-5c7d-x}, whose container {@code app} has restarted 3
     * times and waits in {@code CrashLoopBackOff}; its name.
     */
    public static String crashLoopingPod(String namespace, String app) {
        return crashLoopingPod(namespace, app, "back-off 40s restarting failed container");
    }

    /** {@link #crashLoopingPod(String, String)} with this waiting message. */
    public static String crashLoopingPod(String namespace, String app, String message) {
        KubernetesClient admin = DevStack.kube().adminClient();
        String name = app + "-5c7d-x";
        Kubelet.pod(
                admin,
                namespace,
                name,
                WindlassLabels.of(app, 1),
                "app",
                null,
                pod -> pod.editMetadata()
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("ReplicaSet")
                        .withName(app + "-5c7d")
                        .withUid(UUID.randomUUID().toString())
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata());
        admin.pods()
                .inNamespace(namespace)
                .withName(name)
                .editStatus(p -> new PodBuilder(p)
                        .editOrNewStatus()
                        .withPhase("Running")
                        .addNewContainerStatus()
                        .withName("app")
                        .withImage(TestSpecs.DEFAULT_IMAGE)
                        .withImageID("")
                        .withReady(false)
                        .withRestartCount(3)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .withMessage(message)
                        .endWaiting()
                        .endState()
                        .endContainerStatus()
                        .endStatus()
                        .build());
        return name;
    }
}
