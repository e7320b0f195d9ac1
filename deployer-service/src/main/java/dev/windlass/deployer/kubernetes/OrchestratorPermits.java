package dev.windlass.deployer.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Limits how many requests run at once against one orchestrator. An operation (one attempt of an apply or a delete)
 * holds one permit while it runs and sends its requests one after the other under it; requests it sends beside that
 * one ({@link #eachAtOnce}) take one more permit each, only while one is free. Callers run on worker threads and wait
 * there for their operation's permit; a permit is held for one attempt only, never across a retry's backoff, and an
 * operation never waits for a permit while it holds one.
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
        Semaphore semaphore = semaphore(orchestrator);
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

    /**
     * Runs {@code call} for each of {@code items}, for an operation that holds one of {@code orchestrator}'s permits
     * ({@link #call}): the first item, and every item for which no further permit is free right now, on the calling
     * thread under the permit it holds; every other item on {@code executor}, holding one more permit while it runs.
     * So one operation's requests go side by side while the orchestrator has permits to spare and one after the other
     * when it has none, and never more of them run than there are permits. Returns the results in the items' order,
     * or throws the failure of the first item (in that order) that failed, once every call has ended.
     */
    public <I, R> List<R> eachAtOnce(String orchestrator, List<I> items, Function<I, R> call, Executor executor) {
        Semaphore semaphore = semaphore(orchestrator);
        List<CompletableFuture<R>> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            results.add(i > 0 && freeNow(semaphore) ? beside(semaphore, items.get(i), call, executor) : null);
        }
        for (int i = 0; i < items.size(); i++) {
            if (results.get(i) == null) {
                CompletableFuture<R> here = new CompletableFuture<>();
                try {
                    here.complete(call.apply(items.get(i)));
                } catch (RuntimeException e) {
                    here.completeExceptionally(e);
                }
                results.set(i, here);
            }
        }
        List<R> values = new ArrayList<>(items.size());
        RuntimeException first = null;
        for (CompletableFuture<R> result : results) {
            try {
                values.add(result.join());
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return values;
    }

    private static <I, R> CompletableFuture<R> beside(
            Semaphore semaphore, I item, Function<I, R> call, Executor executor) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return call.apply(item);
                        } finally {
                            semaphore.release();
                        }
                    },
                    executor);
        } catch (RejectedExecutionException e) {
            semaphore.release();
            throw e;
        }
    }

    /**
     * Takes a permit if one is free and no operation waits for one ({@code tryAcquire()} without a timeout would take
     * it ahead of them): a request beside an operation's own never overtakes an operation waiting to begin.
     */
    private static boolean freeNow(Semaphore semaphore) {
        try {
            return semaphore.tryAcquire(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Semaphore semaphore(String orchestrator) {
        return semaphores.computeIfAbsent(orchestrator, name -> new Semaphore(permits, true));
    }

    /** Permits of {@code orchestrator} free right now. */
    int available(String orchestrator) {
        Semaphore semaphore = semaphores.get(orchestrator);
        return semaphore == null ? permits : semaphore.availablePermits();
    }
}
