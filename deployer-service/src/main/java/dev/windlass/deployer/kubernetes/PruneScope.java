package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a revision's prune looks for objects to delete: either every kind Windlass manages (an undeploy, or an app
 * with revisions from before the deployer recorded their objects), or only the kinds of the objects that earlier
 * revisions of the app applied (or tried to apply) and the new revision no longer has — none at all on an app's
 * first revision or when the objects did not change.
 *
 * @param allKinds LIST every managed kind, whatever {@code earlier} holds
 * @param earlier the objects the app's revisions recorded before this apply
 */
public record PruneScope(boolean allKinds, Set<ObjectRef> earlier) {

    private static final PruneScope EVERYTHING = new PruneScope(true, Set.of());

    public PruneScope {
        earlier = Set.copyOf(earlier);
    }

    /** Every managed kind is listed: the app's earlier objects are not (all) known. */
    public static PruneScope everything() {
        return EVERYTHING;
    }

    /** Only the kinds of {@code earlier} objects the revision no longer has are listed. */
    public static PruneScope of(Collection<ObjectRef> earlier) {
        return new PruneScope(false, Set.copyOf(earlier));
    }

    /** The kinds to LIST (in removal order) when the revision in {@code namespace} consists of {@code keep}. */
    Set<ManagedKind> kinds(String namespace, Collection<ObjectRef> keep) {
        if (allKinds) {
            return EnumSet.allOf(ManagedKind.class);
        }
        Set<ManagedKind> kinds = EnumSet.noneOf(ManagedKind.class);
        for (ObjectRef ref : earlier) {
            if (namespace.equals(ref.namespace()) && !keep.contains(ref)) {
                ManagedKind.of(ref.kind()).ifPresent(kinds::add);
            }
        }
        return kinds;
    }
}
