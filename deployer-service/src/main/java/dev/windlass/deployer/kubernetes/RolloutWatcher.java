package dev.windlass.deployer.kubernetes;

import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows one revision's rollout by watching the app's Deployment: each change is evaluated, progress is emitted
 * when it changes, and the first final state (or the deadline) ends the stream. When the server ends a watch
 * (timeout, 410 Gone, a dropped connection) or the orchestrator's client is replaced, the tracker reads the
 * Deployment again and watches from there.
 */
public final class RolloutWatcher {

    final ClientCache clients;
    final ScheduledExecutorService executor;
    final Duration watchTimeout;
    final Retry backoff;
    private final AtomicInteger watchesOpened = new AtomicInteger();

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
    }

    /** Updates of revision {@code revision} of {@code app} until it succeeds, fails or {@code deadline} passes. */
    public Multi<RolloutUpdate> track(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom()
                .emitter(emitter ->
                        new RolloutTracking(this, cluster, namespace, app, revision, deadline, emitter).start());
    }

    /** How many watches this tracker has opened, re-watches included. */
    int watchesOpened() {
        return watchesOpened.get();
    }

    void watchOpened() {
        watchesOpened.incrementAndGet();
    }
}
