package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrchestratorPermitsTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void atMostTheLimitRunsAtOnceOnOneOrchestrator() {
        OrchestratorPermits permits = new OrchestratorPermits(2, Duration.ofSeconds(30));
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> permits.call("edge", this::holdUntilReleased), threads));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> running.get() == 2);
        assertThat(permits.available("edge")).isZero();
        assertThat(permits.available("other")).isEqualTo(2);

        release.countDown();
        assertThat(calls).allSatisfy(call -> assertThat(call).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(permits.available("edge")).isEqualTo(2);
    }

    @Test
    void waitingLongerThanAllowedIsATransientFailure() {
        OrchestratorPermits permits = new OrchestratorPermits(1, Duration.ofMillis(200));
        CompletableFuture.supplyAsync(() -> permits.call("edge", this::holdUntilReleased), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 1);

        assertThatThrownBy(() -> permits.call("edge", () -> "never"))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isTrue();
                    assertThat(e.getMessage())
                            .isEqualTo("too many operations at once on edge: no permit within PT0.2S");
                });
    }

    @Test
    void aFailingCallGivesItsPermitBack() {
        OrchestratorPermits permits = new OrchestratorPermits(1, Duration.ofSeconds(1));

        assertThatThrownBy(() -> permits.call("edge", () -> {
                    throw ClusterException.permanent("boom");
                }))
                .hasMessage("boom");

        assertThat(permits.available("edge")).isEqualTo(1);
    }

    private String holdUntilReleased() {
        running.incrementAndGet();
        try {
            release.await(30, TimeUnit.SECONDS);
            return "done";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            running.decrementAndGet();
        }
    }
}
