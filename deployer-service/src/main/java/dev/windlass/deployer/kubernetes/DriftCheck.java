package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the cluster still holds what a revision applies, field for field, by asking the API server itself: each
 * rendered object is server-side applied with {@code dryRun=All} under Windlass's field manager, without forcing.
 * A field another manager changed since (a {@code kubectl edit} or {@code scale}) is a conflict that names it; a
 * field someone removed, or changed without taking it over, shows as a difference between the live object and
 * the object the apply would make. Fields only others set (a controller's annotations, defaults) are not drift.
 * Nothing is changed; only field paths are reported, never values (a Secret's included). Blocking.
 */
public final class DriftCheck {

    /** Metadata the API server writes itself, which a dry run may or may not touch: never drift. */
    private static final Set<String> SERVER_METADATA =
            Set.of("managedFields", "resourceVersion", "generation", "creationTimestamp", "uid", "selfLink");

    private final String fieldManager;

    public DriftCheck(String fieldManager) {
        this.fieldManager = fieldManager;
    }

    /** The objects of {@code app} (stamped with {@code owner}) that differ from the cluster; empty when in sync. */
    public List<ObjectDrift> check(KubernetesClient client, RenderedApp app, String owner) {
        List<ObjectDrift> drifts = new ArrayList<>();
        for (HasMetadata object : app.objects()) {
            ObjectOwnership.stamp(object, owner);
            ObjectDrift drift = check(client, object, owner, app.app());
            if (drift != null) {
                drifts.add(drift);
            }
        }
        return drifts;
    }

    private ObjectDrift check(KubernetesClient client, HasMetadata desired, String owner, String app) {
        HasMetadata live;
        try {
            live = client.resource(desired).get();
        } catch (KubernetesClientException e) {
            return unchecked(desired, ClusterFailures.translate("read " + ObjectRefs.describe(desired), e));
        }
        if (live == null) {
            return drift(desired, List.of(), "not on the cluster");
        }
        if (!ObjectOwnership.owns(live, owner, app)) {
            return drift(desired, List.of(), "belongs to " + ObjectOwnership.describeOwner(live));
        }
        HasMetadata wouldBe;
        try {
            wouldBe =
                    client.resource(desired).dryRun().fieldManager(fieldManager).serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return conflict(desired, e.getStatus());
            }
            return unchecked(desired, ClusterFailures.translate("dry-run apply " + ObjectRefs.describe(desired), e));
        }
        var serialization = client.getKubernetesSerialization();
        List<String> fields = new ArrayList<>();
        differences(
                "",
                comparable(serialization.convertValue(live, Map.class)),
                comparable(serialization.convertValue(wouldBe, Map.class)),
                fields);
        return fields.isEmpty() ? null : drift(desired, fields, "differs from what Windlass applies");
    }

    /** The conflict's fields (as the API server names them, {@code .spec.replicas}) and the managers holding them. */
    private static ObjectDrift conflict(HasMetadata desired, Status status) {
        Set<String> fields = new TreeSet<>();
        Set<String> managers = new TreeSet<>();
        List<StatusCause> causes = status == null || status.getDetails() == null
                ? List.of()
                : Objects.requireNonNullElse(status.getDetails().getCauses(), List.of());
        for (StatusCause cause : causes) {
            if (cause.getField() != null) {
                fields.add(cause.getField());
            }
            String message = cause.getMessage();
            if (message != null && message.startsWith("conflict with \"")) {
                int end = message.indexOf('"', "conflict with \"".length());
                if (end > 0) {
                    managers.add(message.substring("conflict with \"".length(), end));
                }
            }
        }
        return drift(
                desired,
                List.copyOf(fields),
                managers.isEmpty() ? "changed by another field manager" : "changed by " + String.join(", ", managers));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(Map<String, Object> object) {
        object.remove("status");
        Object metadata = object.get("metadata");
        if (metadata instanceof Map<?, ?> fields) {
            ((Map<String, Object>) fields).keySet().removeAll(SERVER_METADATA);
        }
        return object;
    }

    /** Adds the path of every leaf where {@code live} and {@code wanted} differ. */
    static void differences(String path, Object live, Object wanted, List<String> out) {
        if (Objects.equals(live, wanted)) {
            return;
        }
        if (live instanceof Map<?, ?> a && wanted instanceof Map<?, ?> b) {
            Set<String> keys = new TreeSet<>();
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String key : keys) {
                differences(path + "." + key, a.get(key), b.get(key), out);
            }
        } else if (live instanceof List<?> a && wanted instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                differences(path + "[" + i + "]", a.get(i), b.get(i), out);
            }
        } else {
            out.add(path);
        }
    }

    private static ObjectDrift drift(HasMetadata object, List<String> fields, String reason) {
        return new ObjectDrift(
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName(),
                fields,
                reason,
                true);
    }

    private static ObjectDrift unchecked(HasMetadata object, ClusterException failure) {
        String reason = "could not be compared: " + failure.getMessage();
        return new ObjectDrift(
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName(),
                List.of(),
                object instanceof Secret secret && secret.getData() != null
                        ? ServerSideApplier.redact(reason, secret.getData())
                        : reason,
                false);
    }
}
