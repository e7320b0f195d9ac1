package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Follows one revision's rollout by watching the app's Deployment: each change is evaluated, progress is emitted
 * when it changes, and the first final state (or the deadline) ends the stream. Rollouts in one namespace share one
 * watch ({@link DeploymentWatches}): a tracker joins it first and reads its Deployment second. When the server ends a
 * watch (timeout, 410 Gone, a dropped connection), the tracker joins the next watch and reads the Deployment again;
 * when the orchestrator's client is replaced or forgotten (its material changed), the stream fails with a transient
 * {@link StaleConnectionException} and whoever follows the rollout fetches the material again.
 */
public final class RolloutWatcher {

    final ClientCache clients;
    final ScheduledExecutorService executor;
    final Duration watchTimeout;
    final Retry backoff;
    final DeploymentWatches watches;
    private final AtomicInteger watchesOpened = new AtomicInteger();

    /** Told of each read of a followed Deployment, before its state is evaluated (tests make changes here). */
    volatile Consumer<Deployment> afterRead = read -> {};

    /** How long a namespace's watch stays open once nothing there is followed, for the next deploy to join. */
    static final Duration LINGER = Duration.ofSeconds(30);

    /**
     * @param clients the orchestrators' clients, asked again for each watch
     * @param executor runs the blocking reads, the watch starts and the deadline timers
     * @param watchTimeout how long the server keeps one watch open before the tracker re-watches
     * @param backoff delays between attempts after failures
     */
    public RolloutWatcher(
            ClientCache clients, ScheduledExecutorService executor, Duration watchTimeout, Retry backoff) {
        this.clients = clients;
        this.executor = executor;
        this.watchTimeout = watchTimeout;
        this.backoff = backoff;
        this.watches = new DeploymentWatches(executor, watchTimeout, LINGER, this::watchOpened);
    }

    /** Updates of revision {@code revision} of {@code app} until it succeeds, fails or {@code deadline} passes. */
    public Multi<RolloutUpdate> track(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom()
                .emitter(emitter ->
                        new RolloutTracking(this, cluster, namespace, app, revision, deadline, emitter).start());
    }

    /**
     * Runs the blocking {@code task} on the executor after {@code delay}. The timer only hands the task over: Quarkus's
     * worker pool sets a timer asked for on a Vert.x thread as a Vert.x timer, which fires on that event loop.
     */
    ScheduledFuture<?> later(Runnable task, Duration delay) {
        return later(executor, task, delay);
    }

    /**
     * {@link #later(Runnable, Duration)} on {@code executor}; at least a millisecond later, as Vert.x refuses shorter
     * timers (Quarkus's worker pool sets one for every delay, zero included).
     */
    static ScheduledFuture<?> later(ScheduledExecutorService executor, Runnable task, Duration delay) {
        return executor.schedule(() -> executor.execute(task), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** How many watches this tracker has opened (one per namespace at a time, shared), re-watches included. */
    int watchesOpened() {
        return watchesOpened.get();
    }

    void watchOpened() {
        watchesOpened.incrementAndGet();
    }
}
