package dev.windlass.deployer.testing;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.NodeSimulator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

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
}
