package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RolloutTimerTest {

    private final ExecutorService workers = Executors.newSingleThreadExecutor(task -> new Thread(task, "worker"));
    /**
     * Like Quarkus's worker pool asked on a Vert.x thread: what it schedules fires on the event loop, what it is
     * given to execute runs on a worker, and a timer of less than a millisecond is refused, as Vert.x refuses it.
     */
    private final ScheduledThreadPoolExecutor pool =
            new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "event-loop")) {
                @Override
                public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                    if (unit.toMillis(delay) < 1) {
                        throw new IllegalArgumentException("Cannot schedule a timer with delay < 1 ms");
                    }
                    return super.schedule(command, delay, unit);
                }

                @Override
                public void execute(Runnable command) {
                    workers.execute(command);
                }
            };

    @AfterEach
    void stop() {
        pool.shutdownNow();
        workers.shutdownNow();
    }

    private final RolloutWatcher watcher = new RolloutWatcher(null, null, pool, null);

    @Test
    void aTimerHandsTheBlockingTaskToAWorkerInsteadOfRunningItWhereItFires() throws Exception {
        CompletableFuture<String> ranOn = new CompletableFuture<>();

        watcher.later(() -> ranOn.complete(Thread.currentThread().getName()), Duration.ofMillis(10));

        assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo("worker");
    }

    @Test
    void aTaskForNowIsRunOnAPoolThatRefusesTimersUnderAMillisecond() throws Exception {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();

        watcher.later(() -> ran.complete(true), Duration.ZERO);

        assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
    }
}
