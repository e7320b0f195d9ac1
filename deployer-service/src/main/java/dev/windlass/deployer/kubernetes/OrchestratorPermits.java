package dev.windlass.deployer.kubernetes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Limits how many operations run at once against one orchestrator. Callers run on worker threads and wait there
 * for a permit; a permit is held for one attempt only, never across a retry's backoff.
 */
public final class OrchestratorPermits {

    private final int permits;
    private final Duration maxWait;
    private final Map<String, Semaphore> semaphores = new ConcurrentHashMap<>();

    public OrchestratorPermits(int permits, Duration maxWait) {
        if (permits < 1) {
            throw new IllegalArgumentException("at least one permit per orchestrator is needed");
        }
        this.permits = permits;
        this.maxWait = maxWait;
    }

    /** Runs {@code work} holding one of {@code orchestrator}'s permits; blocks while none is free. */
    public <T> T call(String orchestrator, Supplier<T> work) {
        Semaphore semaphore = semaphores.computeIfAbsent(orchestrator, name -> new Semaphore(permits, true));
        boolean acquired;
        try {
            acquired = semaphore.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while waiting to work on " + orchestrator, 0, true, e);
        }
        if (!acquired) {
            throw new ClusterException(
                    "too many operations at once on " + orchestrator + ": no permit within " + maxWait, 0, true, null);
        }
        try {
            return work.get();
        } finally {
            semaphore.release();
        }
    }

    /** Permits of {@code orchestrator} free right now. */
    int available(String orchestrator) {
        Semaphore semaphore = semaphores.get(orchestrator);
        return semaphore == null ? permits : semaphore.availablePermits();
    }
}
