package dev.windlass.deployer.kubernetes;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an operation while it fails transiently, with exponential backoff and jitter, until a time budget is
 * spent; permanent failures pass through at once. Every failure comes out as a {@link ClusterException}.
 */
public final class Retry {

    private final Duration budget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService timer;

    public Retry(Duration budget, Duration initialBackoff, Duration maxBackoff, ScheduledExecutorService timer) {
        this.budget = budget;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.timer = timer;
    }

    /** Runs {@code operation} (subscribed anew for each attempt), retrying transient failures within the budget. */
    public <T> Uni<T> run(String action, Supplier<Uni<T>> operation) {
        return run(action, operation, RetryListener.NONE);
    }

    /** {@link #run(String, Supplier)}, telling {@code listener} about each transient failure before its retry. */
    public <T> Uni<T> run(String action, Supplier<Uni<T>> operation, RetryListener listener) {
        return Uni.createFrom()
                .deferred(() -> attempt(action, operation, listener, 1, System.nanoTime() + budget.toNanos()));
    }

    private <T> Uni<T> attempt(
            String action, Supplier<Uni<T>> operation, RetryListener listener, int attempt, long deadline) {
        return Uni.createFrom().deferred(() -> operation.get()).onFailure().recoverWithUni(failure -> {
            ClusterException error = ClusterFailures.translate(action, failure);
            if (!error.isTransientFailure() || error instanceof StaleConnectionException) {
                // stale material is the caller's to fetch again, not this loop's to retry
                return Uni.createFrom().failure(error);
            }
            Duration delay = backoff(attempt);
            if (System.nanoTime() + delay.toNanos() > deadline) {
                return Uni.createFrom()
                        .failure(new ClusterException(
                                error.getMessage() + " (gave up after " + attempt + " attempts within " + budget + ")",
                                error.getStatus(),
                                true,
                                error));
            }
            listener.retrying(error, attempt);
            return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .onExecutor(timer)
                    .by(delay)
                    .chain(() -> attempt(action, operation, listener, attempt + 1, deadline));
        });
    }

    /** Half the exponential delay for sure, the other half at random ("equal jitter"). */
    Duration backoff(int attempt) {
        long exponential = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.max(1, Math.min(exponential, maxBackoff.toMillis()));
        long half = capped / 2;
        // never under a millisecond: Vert.x refuses shorter timers
        return Duration.ofMillis(Math.max(1, half + ThreadLocalRandom.current().nextLong(capped - half + 1)));
    }
}
