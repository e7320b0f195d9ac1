package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one revision's rollout by listening to the app's Deployment on the namespace's object cache ({@link
 * ObjectCache}): each change is evaluated, progress is emitted when it changes, and the first final state (or the
 * deadline) ends the stream. Every rollout, live status and owner check in a namespace shares the cache's one watch of
 * its Deployments, which the informer keeps up (re-established when the server ends it, relisted after {@code 410
 * Gone}); a rollout costs the API server no request of its own. When the orchestrator's client is replaced or
 * forgotten (its material changed), the stream fails with a transient {@link StaleConnectionException} and whoever
 * follows the rollout fetches the material again.
 */
public final class RolloutWatcher {

    final ClientCache clients;
    final ObjectCache cache;
    final ScheduledExecutorService executor;
    final Retry backoff;

    /**
     * Told of the state a tracking starts from (null when the cache holds no such Deployment), before it is evaluated
     * (tests make changes here).
     */
    volatile Consumer<Deployment> afterRead = read -> {};

    /**
     * @param clients the orchestrators' clients, asked again for each attempt
     * @param cache the namespaces' informers, whose Deployments the trackings listen to
     * @param executor runs the blocking starts, the reads and the deadline timers
     * @param backoff delays between attempts after failures
     */
    RolloutWatcher(ClientCache clients, ObjectCache cache, ScheduledExecutorService executor, Retry backoff) {
        this.clients = clients;
        this.cache = cache;
        this.executor = executor;
        this.backoff = backoff;
    }

    /** Updates of revision {@code revision} of {@code app} until it succeeds, fails or {@code deadline} passes. */
    public Multi<RolloutUpdate> track(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom()
                .emitter(emitter ->
                        new RolloutTracking(this, cluster, namespace, app, revision, deadline, emitter).start());
    }

    /**
     * Runs the blocking {@code task} on the executor after {@code delay}, at least a millisecond later. The timer only
     * hands the task over: Quarkus's worker pool sets a timer asked for on a Vert.x thread as a Vert.x timer, which
     * fires on that event loop, and Vert.x refuses timers shorter than a millisecond (the pool sets one for every
     * delay, zero included).
     */
    ScheduledFuture<?> later(Runnable task, Duration delay) {
        return executor.schedule(() -> executor.execute(task), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }
}
