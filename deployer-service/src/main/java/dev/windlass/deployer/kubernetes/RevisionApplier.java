package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Puts one rendered revision on a cluster, blocking: the check that forward-auth can work where the app asks for it,
 * namespace, MetalLB pool when a LoadBalancer needs it, the owner
 * check of every object, then every object by server-side apply (side by side as far as the orchestrator's permits
 * allow; the Kubernetes controllers wait for what a Deployment refers to), then the prune of what the revision dropped.
 * Each object is stamped with its owner and applied only when no other owner holds an object of that kind and name
 * ({@link ObjectOwnership}).
 * Safe to repeat.
 */
public final class RevisionApplier {

    /** For the applier without permits: what goes "beside" runs on the calling thread too, one object at a time. */
    private static final OrchestratorPermits SEQUENTIAL = new OrchestratorPermits(1, Duration.ZERO);

    private final NamespaceKeeper namespaces;
    private final MetalLbKeeper metalLb;
    private final ServerSideApplier applier;
    private final Pruner pruner;
    private final Executor parallel;
    private final OrchestratorPermits permits;
    private final ObjectCache cache;

    /**
     * An applier that checks and applies the objects of a revision one after the other, on the calling thread, reading
     * each object before it is applied.
     */
    public RevisionApplier(
            NamespaceKeeper namespaces, MetalLbKeeper metalLb, ServerSideApplier applier, Pruner pruner) {
        this(namespaces, metalLb, applier, pruner, Runnable::run, null, null);
    }

    /**
     * An applier that checks, then applies, the objects of a revision side by side on {@code parallel} as far as the
     * orchestrator's {@code permits} allow ({@link OrchestratorPermits#eachAtOnce}; the caller holds one of them), the
     * owner check reading the namespace's objects from {@code cache} (each object from the API server when null).
     */
    RevisionApplier(
            NamespaceKeeper namespaces,
            MetalLbKeeper metalLb,
            ServerSideApplier applier,
            Pruner pruner,
            Executor parallel,
            OrchestratorPermits permits,
            ObjectCache cache) {
        this.namespaces = namespaces;
        this.metalLb = metalLb;
        this.applier = applier;
        this.pruner = pruner;
        this.parallel = parallel;
        this.permits = permits;
        this.cache = cache;
    }

    /**
     * Applies {@code app} through {@code client}, which talks to {@code cluster}, then prunes within {@code prune}.
     * Every object's owner is checked before any object is applied (so a refused object leaves the cluster as it
     * was); the checks, then the applies, run side by side on the executor given at construction.
     */
    public ApplyResult apply(KubernetesClient client, ClusterConnection cluster, RenderedApp app, PruneScope prune) {
        requireForwardAuth(client, cluster, app);
        String owner = ObjectOwnership.owner(cluster, app.namespace(), app.app());
        List<ObjectRef> applied = new ArrayList<>();
        List<String> takenOver = new ArrayList<>();
        boolean namespaceRemembered = namespaces.known(client, app.namespace());
        namespaces.ensure(client, app.namespace()).ifPresent(applied::add);
        if (MetalLbKeeper.needed(cluster, app)) {
            applied.addAll(metalLb.ensure(client, cluster));
        }
        List<HasMetadata> objects = app.objects();
        objects.forEach(object -> ObjectOwnership.stamp(object, owner));
        ObjectCache.View live = cache == null
                ? ObjectCache.View.reading(client, app.namespace())
                : cache.view(client, cluster.name(), app.namespace());
        try {
            eachAtOnce(cluster, objects, object -> {
                ObjectOwnership.requireOwnable(live, object, owner, app.app());
                return Optional.empty();
            });
            for (Optional<String> note : eachAtOnce(cluster, objects, object -> applier.applyOwned(client, object))) {
                note.ifPresent(takenOver::add);
            }
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
        objects.forEach(object -> applied.add(ObjectRefs.of(object)));
        List<ObjectRef> pruned = pruner.prune(client, owner, app, prune);
        return new ApplyResult(applied, pruned, takenOver);
    }

    /**
     * Fails permanently, before any object of the app is applied, when the app asks for Authentik forward-auth and the
     * orchestrator names no outpost, or the cluster does not serve Traefik's Middleware (API discovery).
     */
    private static void requireForwardAuth(KubernetesClient client, ClusterConnection cluster, RenderedApp app) {
        if (app.objects().stream().noneMatch(TraefikMiddleware.class::isInstance)) {
            return;
        }
        if (cluster.authentikOutpostUrl() == null
                || cluster.authentikOutpostUrl().isBlank()) {
            throw ClusterException.permanent(app.app() + " asks for Authentik forward-auth, but orchestrator "
                    + cluster.name() + " names no authentikOutpostUrl (where its Authentik outpost answers Traefik)");
        }
        boolean served;
        try {
            served = client.supports(TraefikMiddleware.class);
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("discover Traefik's Middleware on " + cluster.name(), e);
        }
        if (!served) {
            throw ClusterException.permanent(app.app() + " asks for Authentik forward-auth, but " + cluster.name()
                    + " does not serve Traefik's Middleware (the CRD middlewares.traefik.io, Traefik 2.10 or later, is"
                    + " missing)");
        }
    }

    /**
     * Runs {@code call} for every object, side by side within the orchestrator's permits (one after the other on the
     * calling thread when there are none); the results in the objects' order, or the failure of the first object (in
     * that order) that failed, once every call has ended.
     */
    private List<Optional<String>> eachAtOnce(
            ClusterConnection cluster, List<HasMetadata> objects, Function<HasMetadata, Optional<String>> call) {
        return permits == null
                ? SEQUENTIAL.eachAtOnce(cluster.name(), objects, call, Runnable::run)
                : permits.eachAtOnce(cluster.name(), objects, call, parallel);
    }
}
