package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which app owns an object, and the rule that Windlass changes and deletes only the objects of the app it works on,
 * as Helm 3 refuses to adopt objects of another release. Every object Windlass applies for an app carries the
 * annotation {@value #ANNOTATION} = {@code <orchestrator id>/<namespace>/<app>}; before an apply, the live object of
 * the same kind and name (if any) must carry the same value. Objects applied before the annotation existed are
 * recognised by Windlass's labels for the same app and take the annotation with the next apply.
 */
public final class ObjectOwnership {

    /** The annotation naming an object's owner. */
    public static final String ANNOTATION = "windlass.dev/owner";

    private static final String HELM_RELEASE = "meta.helm.sh/release-name";

    private ObjectOwnership() {}

    /**
     * The owner value of {@code app} in {@code namespace} on {@code cluster}: keyed by the orchestrator's id, which
     * stays when the orchestrator is renamed, so that two orchestrator records reaching the same cluster do not share
     * objects.
     */
    public static String owner(ClusterConnection cluster, String namespace, String app) {
        String orchestrator =
                cluster.id() == null ? cluster.name() : cluster.id().toString();
        return orchestrator + "/" + namespace + "/" + app;
    }

    /** Puts the owner annotation on an object about to be applied. */
    static void stamp(HasMetadata object, String owner) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (object.getMetadata().getAnnotations() != null) {
            annotations.putAll(object.getMetadata().getAnnotations());
        }
        annotations.put(ANNOTATION, owner);
        object.getMetadata().setAnnotations(annotations);
    }

    /** Whether the live object {@code live} belongs to {@code owner} (app {@code app}). */
    static boolean owns(HasMetadata live, String owner, String app) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        String annotation = annotations == null ? null : annotations.get(ANNOTATION);
        if (annotation != null) {
            return annotation.equals(owner);
        }
        Map<String, String> labels = live.getMetadata().getLabels();
        return labels != null
                && WindlassLabels.MANAGER.equals(labels.get(WindlassLabels.MANAGED_BY))
                && app.equals(labels.get(WindlassLabels.NAME));
    }

    /**
     * Looks up the live object of {@code desired}'s kind and name in the namespace's {@code objects} (the cache kept
     * by watches, or a read where the kind is not watched); fails with a permanent {@link ClusterException} (409)
     * naming the object and its current owner when it exists and is not {@code owner}'s.
     */
    static void requireOwnable(ObjectCache.View objects, HasMetadata desired, String owner, String app) {
        HasMetadata live;
        try {
            live = objects.get(desired.getClass(), desired.getMetadata().getName());
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("read " + ObjectRefs.describe(desired) + " to check its owner", e);
        }
        if (live != null && !owns(live, owner, app)) {
            throw new ClusterException(
                    ObjectRefs.describe(desired) + " already exists and belongs to " + describeOwner(live)
                            + "; Windlass changes only objects it created for app " + app
                            + " (remove or rename that object, or deploy the app under another name)",
                    409,
                    false,
                    null);
        }
    }

    /** Who owns a live object, as far as it says: Windlass's annotation, Helm's, the managed-by label, its managers. */
    static String describeOwner(HasMetadata live) {
        Map<String, String> annotations =
                Objects.requireNonNullElse(live.getMetadata().getAnnotations(), Map.of());
        Map<String, String> labels =
                Objects.requireNonNullElse(live.getMetadata().getLabels(), Map.of());
        String windlass = annotations.get(ANNOTATION);
        if (windlass != null) {
            String[] parts = windlass.split("/", 3);
            return parts.length == 3
                    ? "Windlass app " + parts[2] + " in namespace " + parts[1] + " of orchestrator " + parts[0]
                    : "Windlass owner " + windlass;
        }
        if (annotations.containsKey(HELM_RELEASE)) {
            return "Helm release " + annotations.get(HELM_RELEASE);
        }
        if (labels.containsKey(WindlassLabels.MANAGED_BY)) {
            return "managed-by " + labels.get(WindlassLabels.MANAGED_BY);
        }
        List<String> managers =
                Objects.requireNonNullElse(live.getMetadata().getManagedFields(), List.<ManagedFieldsEntry>of())
                        .stream()
                        .map(ManagedFieldsEntry::getManager)
                        .filter(Objects::nonNull)
                        .distinct()
                        .toList();
        return managers.isEmpty() ? "no recorded owner" : "field manager(s) " + String.join(", ", managers);
    }
}
