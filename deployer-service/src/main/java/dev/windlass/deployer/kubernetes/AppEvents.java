package dev.windlass.deployer.kubernetes;

import dev.windlass.cluster.Reads;
import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Kubernetes events about an app's objects, newest first: about the objects its revision recorded, its Pods (by
 * its selector labels) and the ReplicaSets controlling them — what {@code kubectl describe} shows under "Events",
 * for the whole app at once. One {@code LIST} of the namespace's events (at most {@link #SCANNED}) and one of its
 * Pods; the app's secret values masked in every message. Blocking.
 */
public final class AppEvents {

    /** Events of the namespace looked at, newest pages first as the API server lists them. */
    static final long SCANNED = 1000;

    private AppEvents() {}

    /** At most {@code limit} events about the app's objects, newest first. */
    public static List<ClusterEvent> read(
            KubernetesClient client,
            String namespace,
            String app,
            List<ObjectRef> refs,
            int limit,
            Collection<String> secretValues) {
        Set<String> about = new HashSet<>();
        refs.forEach(ref -> about.add(ref.kind() + "/" + ref.name()));
        try {
            for (Pod pod : Reads.get(() -> client.pods()
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.selector(app))
                    .list()
                    .getItems())) {
                about.add("Pod/" + pod.getMetadata().getName());
                Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.<OwnerReference>of()).stream()
                        .filter(o -> "ReplicaSet".equals(o.getKind()))
                        .forEach(o -> about.add("ReplicaSet/" + o.getName()));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw ClusterFailures.translate("list the pods of app " + app + " in " + namespace, e);
            }
            // without the right to read pods, the events of the recorded objects are still worth showing
        }
        List<Event> events;
        try {
            events = client.v1()
                    .events()
                    .inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(SCANNED).build())
                    .getItems();
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("list the events of namespace " + namespace, e);
        }
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null
                        && about.contains(e.getInvolvedObject().getKind() + "/"
                                + e.getInvolvedObject().getName()))
                .map(e -> of(e, secretValues))
                .sorted(Comparator.comparing(ClusterEvent::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(limit)
                .toList();
    }

    private static ClusterEvent of(Event event, Collection<String> secretValues) {
        String last = event.getLastTimestamp() != null
                ? event.getLastTimestamp()
                : event.getEventTime() != null && event.getEventTime().getTime() != null
                        ? event.getEventTime().getTime()
                        : event.getMetadata().getCreationTimestamp();
        return new ClusterEvent(
                event.getType(),
                event.getReason(),
                PodLogs.redact(Objects.requireNonNullElse(event.getMessage(), ""), secretValues),
                event.getInvolvedObject().getKind(),
                event.getInvolvedObject().getName(),
                Objects.requireNonNullElse(event.getCount(), 1),
                event.getFirstTimestamp() != null ? event.getFirstTimestamp() : last,
                last);
    }
}
