package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Everything the deployer does to a cluster. Every method runs Kubernetes calls off the Vert.x event loop. */
public interface ClusterOperations {

    /**
     * Renders revision {@code revision} of the app, server-side applies it (creating the namespace with Pod Security
     * labels if missing), prunes the app's objects the revision no longer has (listing only the kinds {@code prune}
     * names); transient failures retried with
     * backoff+jitter within a bounded time, permanent ones (403, 422, bad spec) fail at once with a
     * ClusterException carrying the API server's message.
     */
    Uni<ApplyResult> apply(ClusterConnection cluster, String namespace, AppSpec spec, int revision, PruneScope prune);

    /**
     * {@link #apply(ClusterConnection, String, AppSpec, int, PruneScope)}, telling {@code listener} about each
     * transient failure it retries, of objects already rendered by {@link #render} for this revision of {@code spec}
     * (null: rendered here). Only what depends on the cluster, the address of its Authentik outpost, is rendered again.
     */
    default Uni<ApplyResult> apply(
            ClusterConnection cluster,
            String namespace,
            AppSpec spec,
            int revision,
            PruneScope prune,
            RetryListener listener,
            RenderedApp rendered) {
        return apply(cluster, namespace, spec, revision, prune);
    }

    /** {@link #apply(ClusterConnection, String, AppSpec, int, PruneScope)} pruning every managed kind. */
    default Uni<ApplyResult> apply(ClusterConnection cluster, String namespace, AppSpec spec, int revision) {
        return apply(cluster, namespace, spec, revision, PruneScope.everything());
    }

    /**
     * The namespaced objects revision {@code revision} of the app consists of, as {@link #apply} applies them (their
     * {@link RenderedApp#refs() refs} are the ones a later revision may have to prune), rendered without the cluster:
     * a forward-auth Middleware has no outpost address yet; no cluster call. A spec that cannot be applied fails with a
     * permanent ClusterException, as apply would.
     */
    RenderedApp render(String namespace, AppSpec spec, int revision);

    /** Removes every object Windlass created for the app (by labels), returns what was deleted. */
    Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app);

    /** {@link #delete(ClusterConnection, String, String)}, telling {@code listener} about each transient failure. */
    default Uni<List<ObjectRef>> delete(
            ClusterConnection cluster, String namespace, String app, RetryListener listener) {
        return delete(cluster, namespace, app);
    }

    /**
     * Watches the app's Deployment (no polling loop) until available — observed generation current, updated =
     * available = desired replicas — or its progress deadline; emits PROGRESSING updates then exactly one final
     * SUCCEEDED or FAILED (reason: ProgressDeadlineExceeded, unschedulable, image pull errors where visible), then
     * completes. Must survive a watch being closed by the server (re-watch).
     *
     * <p>A FAILED message starts with its reason ({@code ProgressDeadlineExceeded: …}, {@code Superseded: …},
     * {@code Deleted: …}, {@code NotFound: …}, {@code FailedCreate: …} when admission refuses the pods). When the
     * Deployment cannot be watched at all (a permanent error such as 403, or transient errors until the deadline) the
     * stream fails with a {@link ClusterException} instead. A null {@code deadline} means the configured default.
     */
    Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline);

    /**
     * The app's objects {@code refs} as the cluster has them now, each with its health ({@link LiveObjects}); an
     * object that cannot be read is Unknown with the API server's reason, so this never fails for one object. Read
     * from the namespace's {@link ObjectCache} (one read per object and one Pod list per Deployment where a kind is not
     * watched), not retried, outside the per-orchestrator permits that bound applies.
     */
    Uni<List<LiveObject>> liveObjects(ClusterConnection cluster, String namespace, String app, List<ObjectRef> refs);

    /**
     * How the cluster differs from revision {@code revision} of the app, object by object ({@link DriftCheck}: a
     * server-side apply with {@code dryRun=All} per object, nothing changed); empty when in sync. Not retried,
     * outside the permits that bound applies.
     */
    Uni<List<ObjectDrift>> drift(ClusterConnection cluster, String namespace, AppSpec spec, int revision);

    /**
     * The log {@code request} names ({@link PodLogs}), its secret values masked; fails with a ClusterException (404
     * when the Pod is not the app's or has no such container). Not retried, outside the permits that bound applies.
     */
    Uni<String> logs(ClusterConnection cluster, LogRequest request);

    /**
     * The lines the container {@code request} names writes from now on, after its last {@code tailLines}
     * ({@link PodLogs#follow}; the current run's: {@code previous} is not followed), its secret values masked;
     * completes when the log ends or after {@link PodLogs#MAX_FOLLOW_BYTES}, fails with a ClusterException (404 when
     * the Pod is not the app's). Cancelling closes the log's connection. Each follower holds one connection to the API
     * server and one thread.
     */
    Multi<String> followLog(ClusterConnection cluster, LogRequest request);

    /**
     * At most {@code limit} Kubernetes events about the app's objects {@code refs}, its Pods and their ReplicaSets,
     * newest first ({@link AppEvents}), {@code secretValues} masked. Not retried, outside the permits that bound
     * applies.
     */
    Uni<List<ClusterEvent>> events(
            ClusterConnection cluster,
            String namespace,
            String app,
            List<ObjectRef> refs,
            int limit,
            Collection<String> secretValues);

    /**
     * The app's name each time one of its Deployments or Pods changes in the cluster, from an informer shared by
     * everyone following apps of that namespace ({@link AppInformers}); completes when the orchestrator's client is
     * retired, fails with a {@link ClusterException} when the namespace cannot be watched.
     */
    Multi<String> changes(ClusterConnection cluster, String namespace, String app);

    /** Drops the cached client of an orchestrator (its connection changed or it was deleted). */
    void forget(String orchestratorName);
}
