package dev.windlass.devstack;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * <strong>A simulation, not a node.</strong> The dev-stack API server runs no kubelet and no controllers, so no
 * Deployment would ever become available. This watches every Deployment and does, through the API server, what the
 * deployment and ReplicaSet controllers and a kubelet would:
 *
 * <ul>
 *   <li>for the Deployment's current pod template, a ReplicaSet named {@code <deployment>-<pod-template-hash>}
 *       controlled by the Deployment, and as many Pods as it wants replicas, controlled by the ReplicaSet, bound to
 *       Node {@value #NODE_NAME}, with the status a kubelet would report;
 *   <li>each container runs — or, as {@link SimulatedPods#behaviour} reads it from the annotation
 *       {@value SimulatedPods#BEHAVIOUR_ANNOTATION} or a marker in the image reference ({@code crash-loop},
 *       {@code no-such-image}, {@code oom-killed}), crash-loops, fails to pull its image or is OOM-killed;
 *   <li>once every new Pod is ready, the Deployment is reported rolled out (observed generation current, every
 *       replica updated, ready and available) and older ReplicaSets and their Pods are removed; while they are not,
 *       the older Pods stay and the Deployment reports the rollout progressing, then {@code ProgressDeadlineExceeded}
 *       after its {@code progressDeadlineSeconds};
 *   <li>its Node points the API server at a {@link KubeletStandIn}, so {@code pods/log} of these Pods answers with
 *       the lines the simulated containers "wrote".
 * </ul>
 *
 * <p>No container runs. With {@link Mode#ROLLOUTS} only the Deployment's status is reported (no ReplicaSet, no Pod),
 * which keeps the API server's work per deploy what it was for the benchmarks. Deployments annotated
 * {@value #SKIP_ANNOTATION}{@code : "true"} are left alone (they stay unavailable until their progress deadline).
 */
public final class NodeSimulator implements AutoCloseable {

    /** The simulated Node's name. */
    public static final String NODE_NAME = "windlass-simulated-node";

    /** Label on the simulated Node. */
    public static final String LABEL = "windlass.dev/simulated";

    /** Annotation on a Deployment that keeps the simulator away from it. */
    public static final String SKIP_ANNOTATION = "windlass.dev/simulator-skip";

    /** Annotation (on a pod template or Deployment) choosing what its containers do; see {@link SimulatedPods}. */
    public static final String BEHAVIOUR_ANNOTATION = SimulatedPods.BEHAVIOUR_ANNOTATION;

    /** How much the simulator does. */
    public enum Mode {
        /** Nothing: Deployments stay unavailable. */
        OFF,
        /** Deployments are reported rolled out; no ReplicaSet or Pod is made. */
        ROLLOUTS,
        /** ReplicaSets and Pods with statuses and logs, and rollouts that follow from them. */
        PODS
    }

    private static final Logger LOG = Logger.getLogger(NodeSimulator.class.getName());
    private static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

    private final KubernetesClient client;
    private final Mode mode;
    private final AtomicLong rolledOut = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "node-simulator-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private KubeletStandIn kubelet;
    private SharedIndexInformer<Deployment> informer;
    private volatile boolean closed;

    private NodeSimulator(KubernetesClient client, Mode mode) {
        this.client = client;
        this.mode = mode;
    }

    /** Starts simulating Pods with a client that may do so cluster-wide (an admin's). */
    public static NodeSimulator start(KubernetesClient admin) {
        return start(admin, Mode.PODS);
    }

    /** Starts simulating as much as {@code mode} says. */
    public static NodeSimulator start(KubernetesClient admin, Mode mode) {
        if (mode == Mode.OFF) {
            throw new IllegalArgumentException("a simulator that does nothing need not start");
        }
        NodeSimulator simulator = new NodeSimulator(admin, mode);
        simulator.kubelet = KubeletStandIn.start(admin, NODE_NAME);
        simulator.informer = admin.apps().deployments().inAnyNamespace().inform(simulator.handler());
        LOG.info("node simulator started (" + mode + "): Deployments in this cluster are rolled out as a kubelet"
                + " would report them; no container runs");
        return simulator;
    }

    /** A line one of its Pods' containers writes now, in its current run (followers of the log get it at once). */
    public void appendLog(String namespace, String pod, String container, String line) {
        kubelet.append(namespace, pod, container, line);
    }

    /** How many rollouts this simulator has reported so far. */
    public long rolledOut() {
        return rolledOut.get();
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            informer.close();
            informer = null;
        }
        deadlines.shutdownNow();
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
        }
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
                if (mode == Mode.PODS) {
                    guarded(deployment, () -> removeReplicaSets(deployment, null));
                }
            }
        };
    }

    private synchronized void reconcile(Deployment deployment) {
        var meta = deployment.getMetadata();
        if (meta.getAnnotations() != null && "true".equals(meta.getAnnotations().get(SKIP_ANNOTATION))) {
            return;
        }
        if (meta.getDeletionTimestamp() != null || rolledOut(deployment)) {
            return;
        }
        guarded(deployment, () -> {
            if (mode == Mode.PODS) {
                simulatePods(deployment);
            } else {
                reportStatus(deployment, availableStatus(meta.getGeneration(), replicas(deployment)));
            }
        });
    }

    private void guarded(Deployment deployment, Runnable work) {
        try {
            work.run();
        } catch (KubernetesClientException e) {
            // A conflict means a newer generation arrived; its own event will be reconciled. Work cut short by
            // close() is no news either.
            if (e.getCode() != 409 && e.getCode() != 404 && !closed) {
                LOG.log(
                        Level.WARNING,
                        "node simulator could not simulate "
                                + deployment.getMetadata().getNamespace() + "/"
                                + deployment.getMetadata().getName() + ": " + e.getCode() + " "
                                + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()));
            }
        }
    }

    /** The ReplicaSet and Pods of the current template, then the Deployment's status as they make it. */
    private void simulatePods(Deployment deployment) {
        var meta = deployment.getMetadata();
        String namespace = meta.getNamespace();
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        String hash = SimulatedPods.templateHash(template);
        String replicaSetName = meta.getName() + "-" + hash;
        int replicas = replicas(deployment);
        Map<String, String> podLabels = new LinkedHashMap<>(labels(template.getMetadata()));
        podLabels.put(SimulatedPods.HASH_LABEL, hash);

        ReplicaSet replicaSet = client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .withName(replicaSetName)
                .get();
        if (replicaSet == null) {
            replicaSet = client.apps()
                    .replicaSets()
                    .inNamespace(namespace)
                    .resource(new ReplicaSetBuilder()
                            .withNewMetadata()
                            .withName(replicaSetName)
                            .withNamespace(namespace)
                            .withLabels(podLabels)
                            .withOwnerReferences(controller("apps/v1", "Deployment", meta.getName(), meta.getUid()))
                            .endMetadata()
                            .withNewSpec()
                            .withReplicas(replicas)
                            .withNewSelector()
                            .withMatchLabels(selector(deployment, hash))
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .withLabels(podLabels)
                            .withAnnotations(
                                    template.getMetadata() == null
                                            ? null
                                            : template.getMetadata().getAnnotations())
                            .endMetadata()
                            .withSpec(template.getSpec())
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
        }
        List<Pod> pods = podsOf(namespace, hash, meta.getName());
        for (int i = replicas; i < pods.size(); i++) {
            removePod(pods.get(i));
        }
        pods = new ArrayList<>(pods.subList(0, Math.min(replicas, pods.size())));
        while (pods.size() < replicas) {
            pods.add(createPod(deployment, replicaSet, podLabels));
        }
        boolean ready = pods.stream().allMatch(NodeSimulator::ready);
        if (ready) {
            removeReplicaSets(deployment, replicaSetName);
            reportStatus(deployment, availableStatus(meta.getGeneration(), replicas));
            return;
        }
        int oldReady = (int) replicaSetsOf(deployment, replicaSetName).stream()
                .flatMap(older -> podsControlledBy(older).stream())
                .filter(NodeSimulator::ready)
                .count();
        if (reportStatus(deployment, progressingStatus(deployment, replicaSetName, replicas, oldReady))) {
            scheduleDeadline(deployment, replicaSetName);
        }
    }

    private Pod createPod(Deployment deployment, ReplicaSet replicaSet, Map<String, String> labels) {
        var meta = replicaSet.getMetadata();
        PodTemplateSpec template = deployment.getSpec().getTemplate();
        String name = meta.getName() + "-" + SimulatedPods.safe(random.nextLong(), 5);
        Pod pod = client.pods()
                .inNamespace(meta.getNamespace())
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(meta.getNamespace())
                        .withLabels(labels)
                        .withAnnotations(
                                template.getMetadata() == null
                                        ? null
                                        : template.getMetadata().getAnnotations())
                        .withOwnerReferences(controller("apps/v1", "ReplicaSet", meta.getName(), meta.getUid()))
                        .endMetadata()
                        .withSpec(new PodSpecBuilder(template.getSpec())
                                .withNodeName(NODE_NAME)
                                .build())
                        .build())
                .create();
        List<Container> containers = pod.getSpec().getContainers();
        Map<String, String> annotations = annotations(deployment, template);
        pod.setStatus(SimulatedPods.status(
                containers, container -> SimulatedPods.behaviour(annotations, container.getImage()), name));
        pod = client.pods().inNamespace(meta.getNamespace()).resource(pod).updateStatus();
        for (Container container : containers) {
            SimulatedPods.Behaviour behaviour = SimulatedPods.behaviour(annotations, container.getImage());
            List<String> lines = SimulatedPods.logLines(container, behaviour, environment(pod, container));
            if (lines != null) {
                kubelet.logs(meta.getNamespace(), name, container.getName(), false, lines);
                if (behaviour.fails()) {
                    kubelet.logs(meta.getNamespace(), name, container.getName(), true, lines);
                }
            }
        }
        return pod;
    }

    /** The container's environment as {@code NAME=value}, Secret references resolved as the kubelet would. */
    private List<String> environment(Pod pod, Container container) {
        List<String> environment = new ArrayList<>();
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            String value = variable.getValue();
            if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                var ref = variable.getValueFrom().getSecretKeyRef();
                Secret secret = client.secrets()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .withName(ref.getName())
                        .get();
                String encoded = secret == null || secret.getData() == null
                        ? null
                        : secret.getData().get(ref.getKey());
                value = encoded == null ? "" : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            }
            environment.add(variable.getName() + "=" + (value == null ? "" : value));
        }
        return environment;
    }

    /** Removes the Deployment's ReplicaSets other than {@code keep} (all when null) and their Pods. */
    private void removeReplicaSets(Deployment deployment, String keep) {
        for (ReplicaSet replicaSet : replicaSetsOf(deployment, keep)) {
            podsControlledBy(replicaSet).forEach(this::removePod);
            client.apps().replicaSets().resource(replicaSet).delete();
        }
    }

    /** The Deployment's ReplicaSets other than {@code except} (all when null). */
    private List<ReplicaSet> replicaSetsOf(Deployment deployment, String except) {
        var meta = deployment.getMetadata();
        return client.apps().replicaSets().inNamespace(meta.getNamespace()).list().getItems().stream()
                .filter(replicaSet -> controlledBy(replicaSet.getMetadata().getOwnerReferences(), meta.getUid()))
                .filter(replicaSet -> !replicaSet.getMetadata().getName().equals(except))
                .toList();
    }

    private List<Pod> podsControlledBy(ReplicaSet replicaSet) {
        return client.pods().inNamespace(replicaSet.getMetadata().getNamespace()).list().getItems().stream()
                .filter(pod -> controlledBy(
                        pod.getMetadata().getOwnerReferences(),
                        replicaSet.getMetadata().getUid()))
                .toList();
    }

    private void removePod(Pod pod) {
        client.pods().resource(pod).withGracePeriod(0).delete();
        kubelet.forget(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    private List<Pod> podsOf(String namespace, String hash, String deploymentName) {
        return client.pods().inNamespace(namespace).withLabel(SimulatedPods.HASH_LABEL, hash).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getName().startsWith(deploymentName + "-" + hash + "-"))
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
                .toList();
    }

    /** After the Deployment's progress deadline, its rollout counts as failed, as the controller reports it. */
    private void scheduleDeadline(Deployment deployment, String replicaSetName) {
        var meta = deployment.getMetadata();
        int seconds = Objects.requireNonNullElse(
                deployment.getSpec().getProgressDeadlineSeconds(), DEFAULT_PROGRESS_DEADLINE_SECONDS);
        Long generation = meta.getGeneration();
        deadlines.schedule(
                () -> {
                    synchronized (this) {
                        Deployment now = client.apps()
                                .deployments()
                                .inNamespace(meta.getNamespace())
                                .withName(meta.getName())
                                .get();
                        if (now == null
                                || !Objects.equals(now.getMetadata().getGeneration(), generation)
                                || rolledOut(now)) {
                            return;
                        }
                        DeploymentStatus status = now.getStatus();
                        status.setConditions(List.of(
                                condition(status, "Available"),
                                new DeploymentConditionBuilder()
                                        .withType("Progressing")
                                        .withStatus("False")
                                        .withReason("ProgressDeadlineExceeded")
                                        .withMessage("ReplicaSet \"" + replicaSetName + "\" has timed out progressing.")
                                        .build()));
                        guarded(
                                now,
                                () -> client.apps()
                                        .deployments()
                                        .inNamespace(meta.getNamespace())
                                        .resource(now)
                                        .updateStatus());
                    }
                },
                seconds,
                TimeUnit.SECONDS);
    }

    /** Reports {@code status} unless the Deployment already shows it; whether it did. */
    private boolean reportStatus(Deployment deployment, DeploymentStatus status) {
        if (sameCounts(deployment.getStatus(), status)) {
            return false;
        }
        Deployment copy = new DeploymentBuilder(deployment).withStatus(status).build();
        client.apps()
                .deployments()
                .inNamespace(deployment.getMetadata().getNamespace())
                .resource(copy)
                .updateStatus();
        if (rolledOut(copy)) {
            rolledOut.incrementAndGet();
        }
        return true;
    }

    /** Whether a status already says what {@code wanted} says (so that reporting it again would only loop). */
    private static boolean sameCounts(DeploymentStatus current, DeploymentStatus wanted) {
        return current != null
                && Objects.equals(current.getObservedGeneration(), wanted.getObservedGeneration())
                && Objects.equals(current.getReplicas(), wanted.getReplicas())
                && Objects.equals(current.getUpdatedReplicas(), wanted.getUpdatedReplicas())
                && Objects.equals(current.getReadyReplicas(), wanted.getReadyReplicas())
                && Objects.equals(current.getAvailableReplicas(), wanted.getAvailableReplicas());
    }

    /** While new Pods are not ready: the old ones serve, the rollout is progressing. */
    private static DeploymentStatus progressingStatus(
            Deployment deployment, String replicaSetName, int replicas, int oldReady) {
        boolean available = oldReady >= replicas;
        return new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas + oldReady)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(oldReady)
                .withAvailableReplicas(oldReady)
                .withUnavailableReplicas(Math.max(0, replicas - oldReady))
                .withConditions(
                        new DeploymentConditionBuilder()
                                .withType("Available")
                                .withStatus(available ? "True" : "False")
                                .withReason(available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                                .withMessage(
                                        available
                                                ? "Deployment has minimum availability."
                                                : "Deployment does not have minimum availability.")
                                .build(),
                        new DeploymentConditionBuilder()
                                .withType("Progressing")
                                .withStatus("True")
                                .withReason("ReplicaSetUpdated")
                                .withMessage("ReplicaSet \"" + replicaSetName + "\" is progressing.")
                                .build())
                .build();
    }

    private static DeploymentCondition condition(DeploymentStatus status, String type) {
        return Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of()).stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(new DeploymentConditionBuilder()
                        .withType(type)
                        .withStatus("False")
                        .build());
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && Objects.requireNonNullElse(pod.getStatus().getConditions(), List.<PodCondition>of()).stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, String> annotations(Deployment deployment, PodTemplateSpec template) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (deployment.getMetadata().getAnnotations() != null) {
            annotations.putAll(deployment.getMetadata().getAnnotations());
        }
        if (template.getMetadata() != null && template.getMetadata().getAnnotations() != null) {
            annotations.putAll(template.getMetadata().getAnnotations());
        }
        return annotations;
    }

    private static Map<String, String> selector(Deployment deployment, String hash) {
        Map<String, String> selector = new LinkedHashMap<>();
        if (deployment.getSpec().getSelector() != null
                && deployment.getSpec().getSelector().getMatchLabels() != null) {
            selector.putAll(deployment.getSpec().getSelector().getMatchLabels());
        }
        selector.put(SimulatedPods.HASH_LABEL, hash);
        return selector;
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static OwnerReference controller(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withName(name)
                .withUid(uid)
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static boolean controlledBy(List<OwnerReference> owners, String uid) {
        return owners != null
                && owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()) && uid.equals(o.getUid()));
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
