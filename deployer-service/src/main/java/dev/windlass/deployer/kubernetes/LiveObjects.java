package dev.windlass.deployer.kubernetes;

import dev.windlass.events.app.HealthStatus;
import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads an app's objects as the cluster has them now and assesses each by {@link HealthRules}: the objects its
 * revision recorded, each looked up by kind and name (in the namespace's {@link ObjectCache}, or read), and under its
 * Deployment the Pods its selector matches, grouped by
 * the ReplicaSet that controls them (found from the Pods' owner references, so no right to read ReplicaSets is
 * needed; a ReplicaSet's health is the worst of its Pods'). A recorded object that is gone, or that now belongs to
 * another owner, is Missing; one that cannot be read is Unknown with the API server's reason. Blocking.
 */
public final class LiveObjects {

    private LiveObjects() {}

    /** The live state of {@code refs}, the objects of {@code app} owned by {@code owner}, in their order, each read. */
    public static List<LiveObject> read(KubernetesClient client, String owner, String app, List<ObjectRef> refs) {
        return read(namespace -> ObjectCache.View.reading(client, namespace), owner, app, refs);
    }

    /**
     * The live state of {@code refs}, the objects of {@code app} owned by {@code owner}, in their order, each looked up
     * in the view of its namespace that {@code views} gives.
     */
    static List<LiveObject> read(
            Function<String, ObjectCache.View> views, String owner, String app, List<ObjectRef> refs) {
        List<LiveObject> objects = new ArrayList<>();
        for (ObjectRef ref : refs) {
            objects.add(read(views.apply(ref.namespace()), owner, app, ref));
        }
        return objects;
    }

    private static LiveObject read(ObjectCache.View view, String owner, String app, ObjectRef ref) {
        Optional<ManagedKind> kind = ManagedKind.of(ref.kind());
        if (kind.isEmpty()) {
            return leaf(ref, Health.of(HealthStatus.Unknown, "Windlass does not read objects of kind " + ref.kind()));
        }
        HasMetadata live;
        try {
            live = view.get(kind.get().type(), ref.name());
        } catch (KubernetesClientException e) {
            return leaf(ref, unreadable("read " + describe(ref), e));
        }
        if (live == null) {
            return leaf(ref, Health.of(HealthStatus.Missing, describe(ref) + " is not on the cluster"));
        }
        if (!ObjectOwnership.owns(live, owner, app)) {
            return leaf(
                    ref,
                    Health.of(
                            HealthStatus.Missing,
                            describe(ref) + " exists but belongs to " + ObjectOwnership.describeOwner(live)));
        }
        Health health = HealthRules.of(live).orElse(null);
        Map<String, String> details = new LinkedHashMap<>();
        List<LiveObject> children = List.of();
        if (live instanceof Service service) {
            details.put("type", Objects.requireNonNullElse(service.getSpec().getType(), "ClusterIP"));
            HealthRules.address(service).ifPresent(a -> details.put("address", a));
        } else if (live instanceof Ingress ingress) {
            HealthRules.address(ingress).ifPresent(a -> details.put("address", a));
        } else if (live instanceof PersistentVolumeClaim claim && claim.getStatus() != null) {
            details.put("phase", Objects.requireNonNullElse(claim.getStatus().getPhase(), "unknown"));
        } else if (live instanceof Deployment deployment) {
            children = replicaSets(view, deployment, details);
        }
        return new LiveObject(ref.kind(), ref.namespace(), ref.name(), health, details, children);
    }

    /** The Deployment's Pods by the ReplicaSet controlling them, newest names last; notes an unreadable list. */
    private static List<LiveObject> replicaSets(
            ObjectCache.View view, Deployment deployment, Map<String, String> details) {
        var selector = deployment.getSpec().getSelector();
        if (selector == null
                || selector.getMatchLabels() == null
                || selector.getMatchLabels().isEmpty()) {
            return List.of();
        }
        List<Pod> pods;
        try {
            pods = view.pods(selector.getMatchLabels());
        } catch (KubernetesClientException e) {
            details.put(
                    "pods",
                    unreadable(
                                    "list the pods of Deployment "
                                            + deployment.getMetadata().getName(),
                                    e)
                            .message());
            return List.of();
        }
        Map<String, List<LiveObject>> byOwner = new TreeMap<>();
        List<LiveObject> loose = new ArrayList<>();
        for (Pod pod : pods.stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList()) {
            LiveObject node = pod(pod);
            Optional<String> replicaSet = controller(pod);
            if (replicaSet.isPresent()) {
                byOwner.computeIfAbsent(replicaSet.get(), name -> new ArrayList<>())
                        .add(node);
            } else {
                loose.add(node);
            }
        }
        List<LiveObject> children = new ArrayList<>();
        byOwner.forEach((name, under) -> {
            HealthStatus worst = null;
            for (LiveObject pod : under) {
                worst = HealthStatus.worse(worst, pod.worst());
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("pods", Integer.toString(under.size()));
            children.add(new LiveObject(
                    "ReplicaSet",
                    deployment.getMetadata().getNamespace(),
                    name,
                    worst == null ? null : new Health(worst, null),
                    facts,
                    List.copyOf(under)));
        });
        children.addAll(loose);
        return children;
    }

    /** A Pod with its health and phase, readiness, restarts, node, waiting reason and last termination. */
    static LiveObject pod(Pod pod) {
        Map<String, String> details = new LinkedHashMap<>();
        var status = pod.getStatus();
        List<ContainerStatus> containers =
                status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
        int declared = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? containers.size()
                : pod.getSpec().getContainers().size();
        details.put("phase", status == null || status.getPhase() == null ? "Unknown" : status.getPhase());
        details.put(
                "ready",
                containers.stream()
                                .filter(c -> Boolean.TRUE.equals(c.getReady()))
                                .count() + "/" + declared);
        details.put(
                "restarts",
                Integer.toString(containers.stream()
                        .mapToInt(c -> Objects.requireNonNullElse(c.getRestartCount(), 0))
                        .sum()));
        if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
            details.put("node", pod.getSpec().getNodeName());
        }
        containers.stream()
                .map(c -> c.getState() == null || c.getState().getWaiting() == null
                        ? null
                        : c.getState().getWaiting().getReason())
                .filter(Objects::nonNull)
                .findFirst()
                .ifPresent(reason -> details.put("waiting", reason));
        containers.stream()
                .flatMap(c -> HealthRules.lastTermination(c).stream())
                .findFirst()
                .ifPresent(last -> details.put("lastTermination", last));
        return new LiveObject(
                "Pod",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                HealthRules.of(pod).orElse(null),
                details,
                List.of());
    }

    private static Optional<String> controller(Pod pod) {
        return Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.<OwnerReference>of()).stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()) && "ReplicaSet".equals(o.getKind()))
                .map(OwnerReference::getName)
                .findFirst();
    }

    private static LiveObject leaf(ObjectRef ref, Health health) {
        return new LiveObject(ref.kind(), ref.namespace(), ref.name(), health, Map.of(), List.of());
    }

    private static Health unreadable(String action, KubernetesClientException e) {
        return Health.of(
                HealthStatus.Unknown, ClusterFailures.translate(action, e).getMessage());
    }

    private static String describe(ObjectRef ref) {
        return ref.kind() + " " + ref.namespace() + "/" + ref.name();
    }
}
