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

    private final ExecutorService threads = Executors.newFixedThreadPool(24);
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

    @Test
    void anOperationsRequestsGoSideBySideOnlyAsFarAsFreePermitsAllow() {
        OrchestratorPermits permits = new OrchestratorPermits(4, Duration.ofSeconds(30));
        AtomicInteger most = new AtomicInteger();
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5);
        List<CompletableFuture<List<Integer>>> operations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            operations.add(CompletableFuture.supplyAsync(
                    () -> permits.call(
                            "edge", () -> permits.eachAtOnce("edge", items, item -> request(item, most), threads)),
                    threads));
        }

        assertThat(operations)
                .allSatisfy(operation -> assertThat(operation)
                        .succeedsWithin(Duration.ofSeconds(20))
                        .isEqualTo(List.of(0, 10, 20, 30, 40, 50)));
        assertThat(most.get()).as("requests at once").isEqualTo(4);
        assertThat(permits.available("edge")).isEqualTo(4);
    }

    @Test
    void withNoPermitToSpareAnOperationSendsItsRequestsOneAfterTheOther() {
        OrchestratorPermits permits = new OrchestratorPermits(1, Duration.ofSeconds(30));
        List<String> threadNames = new java.util.concurrent.CopyOnWriteArrayList<>();

        List<Integer> results = permits.call(
                "edge",
                () -> permits.eachAtOnce(
                        "edge",
                        List.of(1, 2, 3),
                        item -> {
                            threadNames.add(Thread.currentThread().getName());
                            return item;
                        },
                        threads));

        assertThat(results).containsExactly(1, 2, 3);
        assertThat(threadNames).containsOnly(Thread.currentThread().getName()).hasSize(3);
    }

    @Test
    void theFirstFailureInTheItemsOrderIsThrownOnceEveryRequestHasEnded() {
        OrchestratorPermits permits = new OrchestratorPermits(4, Duration.ofSeconds(30));
        AtomicInteger ended = new AtomicInteger();

        assertThatThrownBy(() -> permits.call(
                        "edge",
                        () -> permits.eachAtOnce(
                                "edge",
                                List.of(0, 1, 2, 3, 4),
                                item -> {
                                    try {
                                        Thread.sleep(item == 3 ? 0 : 100);
                                        if (item == 1 || item == 3) {
                                            throw ClusterException.permanent("object " + item + " refused");
                                        }
                                        return item;
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    } finally {
                                        ended.incrementAndGet();
                                    }
                                },
                                threads)))
                .hasMessage("object 1 refused");
        assertThat(ended).hasValue(5);
        assertThat(permits.available("edge")).isEqualTo(4);
    }

    /** A request of 200 ms that notes the most requests running at once. */
    private int request(int item, AtomicInteger most) {
        int now = running.incrementAndGet();
        most.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(200);
            return item * 10;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            running.decrementAndGet();
        }
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
