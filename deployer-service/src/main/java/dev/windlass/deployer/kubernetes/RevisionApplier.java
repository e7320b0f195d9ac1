package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts one rendered revision on a cluster, blocking: namespace, MetalLB pool when a LoadBalancer needs it, every
 * object by server-side apply in render order, then the prune of what the revision dropped. Each object is stamped
 * with its owner and applied only when no other owner holds an object of that kind and name ({@link ObjectOwnership}).
 * Safe to repeat.
 */
public final class RevisionApplier {

    private final NamespaceKeeper namespaces;
    private final MetalLbKeeper metalLb;
    private final ServerSideApplier applier;
    private final Pruner pruner;

    public RevisionApplier(
            NamespaceKeeper namespaces, MetalLbKeeper metalLb, ServerSideApplier applier, Pruner pruner) {
        this.namespaces = namespaces;
        this.metalLb = metalLb;
        this.applier = applier;
        this.pruner = pruner;
    }

    /**
     * Applies {@code app} through {@code client}, which talks to {@code cluster}, then prunes within {@code prune}.
     */
    public ApplyResult apply(KubernetesClient client, ClusterConnection cluster, RenderedApp app, PruneScope prune) {
        String owner = ObjectOwnership.owner(cluster, app.namespace(), app.app());
        List<ObjectRef> applied = new ArrayList<>();
        List<String> takenOver = new ArrayList<>();
        boolean namespaceRemembered = namespaces.known(client, app.namespace());
        namespaces.ensure(client, app.namespace()).ifPresent(applied::add);
        if (MetalLbKeeper.needed(cluster, app)) {
            applied.addAll(metalLb.ensure(client, cluster));
        }
        for (HasMetadata object : app.objects()) {
            ObjectOwnership.stamp(object, owner);
            try {
                ObjectOwnership.requireOwnable(client, object, owner, app.app());
                applier.applyOwned(client, object).ifPresent(takenOver::add);
            } catch (ClusterException e) {
                if (namespaceRemembered && e.getStatus() == 404) {
                    // the namespace was deleted since it was last seen: the retry reads and creates it again
                    namespaces.forget(client, app.namespace());
                    throw new ClusterException(
                            "namespace " + app.namespace() + " was deleted since it was last seen: " + e.getMessage(),
                            404,
                            true,
                            e);
                }
                throw e;
            }
            applied.add(ObjectRefs.of(object));
        }
        List<ObjectRef> pruned = pruner.prune(client, owner, app, prune);
        return new ApplyResult(applied, pruned, takenOver);
    }
}
