package dev.windlass.devstack;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * <strong>A simulation, not a node.</strong> The dev-stack API server runs no kubelet and no
 * controllers, so no Deployment would ever become available. This watches every Deployment and
 * reports it as rolled out — observed generation current, every replica updated, ready and
 * available — the way the deployment controller would once real pods were up. No container runs.
 *
 * <p>It also registers a Node named {@value #NODE_NAME}, labelled {@value #LABEL}{@code =true},
 * so that {@code kubectl get nodes} shows what is going on. Deployments annotated
 * {@value #SKIP_ANNOTATION}{@code : "true"} are left alone (they stay unavailable until their
 * progress deadline).
 */
public final class NodeSimulator implements AutoCloseable {

    /** The simulated Node's name. */
    public static final String NODE_NAME = "windlass-simulated-node";

    /** Label on the simulated Node. */
    public static final String LABEL = "windlass.dev/simulated";

    /** Annotation on a Deployment that keeps the simulator away from it. */
    public static final String SKIP_ANNOTATION = "windlass.dev/simulator-skip";

    private static final Logger LOG = Logger.getLogger(NodeSimulator.class.getName());

    private final KubernetesClient client;
    private final AtomicLong rolledOut = new AtomicLong();
    private SharedIndexInformer<Deployment> informer;

    private NodeSimulator(KubernetesClient client) {
        this.client = client;
    }

    /** Starts simulating with a client that may update Deployment status cluster-wide. */
    public static NodeSimulator start(KubernetesClient admin) {
        NodeSimulator simulator = new NodeSimulator(admin);
        simulator.registerNode();
        simulator.informer = admin.apps().deployments().inAnyNamespace().inform(simulator.handler());
        LOG.info("node simulator started: Deployments in this cluster will be reported available; no container runs");
        return simulator;
    }

    /** How many rollouts this simulator has reported so far. */
    public long rolledOut() {
        return rolledOut.get();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    private void registerNode() {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(NODE_NAME)
                        .addToLabels(LABEL, "true")
                        .addToAnnotations("windlass.dev/description", "simulated by the dev stack; runs no containers")
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    private ResourceEventHandler<Deployment> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                reconcile(deployment);
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {
                reconcile(after);
            }

            @Override
            public void onDelete(Deployment deployment, boolean unknownFinalState) {
                // nothing to report
            }
        };
    }

    private void reconcile(Deployment deployment) {
        var meta = deployment.getMetadata();
        if (meta.getAnnotations() != null && "true".equals(meta.getAnnotations().get(SKIP_ANNOTATION))) {
            return;
        }
        if (meta.getDeletionTimestamp() != null || rolledOut(deployment)) {
            return;
        }
        int replicas = replicas(deployment);
        Deployment copy = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(deployment)
                .withStatus(availableStatus(meta.getGeneration(), replicas))
                .build();
        try {
            client.apps()
                    .deployments()
                    .inNamespace(meta.getNamespace())
                    .resource(copy)
                    .updateStatus();
            rolledOut.incrementAndGet();
        } catch (KubernetesClientException e) {
            // A conflict means a newer generation arrived; its own event will be reconciled.
            if (e.getCode() != 409 && e.getCode() != 404) {
                LOG.log(
                        Level.WARNING,
                        "node simulator could not report " + meta.getNamespace() + "/" + meta.getName() + ": "
                                + e.getMessage());
            }
        }
    }

    static boolean rolledOut(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return false;
        }
        int replicas = replicas(deployment);
        return Objects.equals(
                        status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                && orZero(status.getUpdatedReplicas()) == replicas
                && orZero(status.getAvailableReplicas()) == replicas
                && orZero(status.getReplicas()) == replicas;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static int replicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    /** The status the deployment controller reports once {@code replicas} pods are available. */
    public static DeploymentStatus availableStatus(Long generation, int replicas) {
        return new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(replicas)
                .withAvailableReplicas(replicas)
                .withConditions(
                        new DeploymentConditionBuilder()
                                .withType("Available")
                                .withStatus("True")
                                .withReason("MinimumReplicasAvailable")
                                .withMessage("Deployment has minimum availability.")
                                .build(),
                        new DeploymentConditionBuilder()
                                .withType("Progressing")
                                .withStatus("True")
                                .withReason("NewReplicaSetAvailable")
                                .withMessage("ReplicaSet has successfully progressed (simulated, no container runs).")
                                .build())
                .build();
    }
}
