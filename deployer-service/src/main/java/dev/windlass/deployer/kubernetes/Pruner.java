package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds an app's objects by label (name + managed-by) in the kinds Windlass renders, and deletes those a revision
 * no longer has, or all of them on undeploy. Only objects the app owns ({@link ObjectOwnership}) are deleted: one
 * labelled for the same app name but owned by another orchestrator record is left alone. A revision's prune lists
 * only the kinds its {@link PruneScope} names; an undeploy lists every kind. Objects already being deleted are left
 * to finish.
 */
public final class Pruner {

    /**
     * Deletes the app's objects that are not among the objects revision {@code app.revision()} just applied (so their
     * revision label is another one) and returns them. Only the kinds {@code scope} names are listed; when it names
     * none (an app's first revision, or the same objects as before), no request is made at all. When something was
     * deleted, the kinds of what was deleted are listed again: one of the dropped objects still there (created again
     * meanwhile) fails the apply with a permanent {@link ClusterException} naming it, so that a revision never ends
     * SUCCEEDED while an object it dropped runs on.
     */
    public List<ObjectRef> prune(KubernetesClient client, String owner, RenderedApp app, PruneScope scope) {
        Set<ObjectRef> keep = Set.copyOf(app.refs());
        Set<ManagedKind> kinds = scope.kinds(app.namespace(), keep);
        Predicate<HasMetadata> dropped = object -> !keep.contains(ObjectRefs.of(object));
        List<ObjectRef> deleted = deleteWhere(client, owner, app.namespace(), app.app(), kinds, dropped);
        if (deleted.isEmpty()) {
            return deleted;
        }
        // verify, as an undeploy does: a LIST of each kind something was deleted of
        Set<ManagedKind> deletedKinds = EnumSet.noneOf(ManagedKind.class);
        for (ObjectRef ref : deleted) {
            ManagedKind.of(ref.kind()).ifPresent(deletedKinds::add);
        }
        List<String> left = new ArrayList<>();
        for (ManagedKind kind : deletedKinds) {
            for (HasMetadata object : list(client, kind, app.namespace(), app.app())) {
                if (object.getMetadata().getDeletionTimestamp() == null
                        && ObjectOwnership.owns(object, owner, app.app())
                        && dropped.test(object)) {
                    left.add(ObjectRefs.describe(object));
                }
            }
        }
        if (!left.isEmpty()) {
            throw new ClusterException(
                    "revision " + app.revision() + " was applied, but " + left.size()
                            + " object(s) it no longer has are still on the cluster after the prune deleted them"
                            + " (created again meanwhile): " + String.join(", ", left),
                    409,
                    false,
                    null);
        }
        return deleted;
    }

    /**
     * Deletes every object {@code owner} owns for {@code app} in {@code namespace} (one LIST per kind), then lists
     * again to verify that none is left (one more LIST per kind); returns the deleted objects. Objects whose deletion
     * the API server accepted but that wait for finalizers (a claim still mounted) count as removed. When an object
     * labelled for the app is left — one another orchestrator record or app owns, or one created meanwhile — the
     * undeploy fails with a permanent {@link ClusterException} naming each, so that it never ends DELETED while
     * something of the app runs on.
     */
    public List<ObjectRef> deleteAll(KubernetesClient client, String owner, String namespace, String app) {
        List<ObjectRef> deleted =
                deleteWhere(client, owner, namespace, app, EnumSet.allOf(ManagedKind.class), object -> true);
        List<String> left = new ArrayList<>();
        for (ManagedKind kind : ManagedKind.values()) {
            for (HasMetadata object : list(client, kind, namespace, app)) {
                if (object.getMetadata().getDeletionTimestamp() != null) {
                    continue;
                }
                left.add(ObjectRefs.describe(object)
                        + (ObjectOwnership.owns(object, owner, app)
                                ? " (created again meanwhile)"
                                : " (belongs to " + ObjectOwnership.describeOwner(object) + ")"));
            }
        }
        if (!left.isEmpty()) {
            throw new ClusterException(
                    "removed " + deleted.size() + " object(s) of " + app + ", but " + left.size()
                            + " labelled for it remain on the cluster: " + String.join(", ", left)
                            + "; they were not deleted",
                    409,
                    false,
                    null);
        }
        return deleted;
    }

    private static List<ObjectRef> deleteWhere(
            KubernetesClient client,
            String owner,
            String namespace,
            String app,
            Set<ManagedKind> kinds,
            Predicate<HasMetadata> condemned) {
        List<ObjectRef> deleted = new ArrayList<>();
        for (ManagedKind kind : kinds) {
            for (HasMetadata object : list(client, kind, namespace, app)) {
                if (object.getMetadata().getDeletionTimestamp() == null
                        && ObjectOwnership.owns(object, owner, app)
                        && condemned.test(object)) {
                    delete(client, object);
                    deleted.add(ObjectRefs.of(object));
                }
            }
        }
        return deleted;
    }

    private static List<? extends HasMetadata> list(
            KubernetesClient client, ManagedKind kind, String namespace, String app) {
        if (kind.custom() && !served(client, kind)) {
            // no CRD, no object of the kind: nothing to list (RBAC would refuse the LIST of a kind the credentials
            // have no rule for, served or not, so it is not asked)
            return List.of();
        }
        try {
            return client.resources(kind.type())
                    .inNamespace(namespace)
                    .withLabels(WindlassLabels.selector(app))
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (kind.custom() && e.getCode() == 404) {
                // the CRD went away since discovery answered: the cluster holds none of them
                return List.of();
            }
            throw ClusterFailures.translate("list " + kind.kind() + "s of " + app + " in namespace " + namespace, e);
        }
    }

    /** Whether the cluster serves a custom kind, by API discovery (open to every authenticated user). */
    private static boolean served(KubernetesClient client, ManagedKind kind) {
        try {
            return client.supports(kind.type());
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("discover " + kind.kind() + "s", e);
        }
    }

    private static void delete(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw ClusterFailures.translate("delete " + ObjectRefs.describe(object), e);
            }
        }
    }
}
