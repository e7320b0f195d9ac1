package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private static final Duration BUDGET = Duration.ofMillis(800);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Retry retry =
            new Retry(BUDGET, Duration.ofMillis(20), Duration.ofMillis(100), TestClusters.executor());
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void retriesTransientFailuresUntilTheOperationSucceeds() {
        String result = retry.run(
                        "list pods",
                        () -> attempts.incrementAndGet() < 3
                                ? Uni.createFrom().failure(new ClusterException("conflict", 409, true, null))
                                : Uni.createFrom().item("done"))
                .await()
                .atMost(WAIT);

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void retriesServerErrorsTheClientThrows() {
        String result = retry.run(
                        "list pods",
                        () -> attempts.incrementAndGet() == 1
                                ? Uni.createFrom().failure(status(503, "etcdserver: leader changed"))
                                : Uni.createFrom().item("done"))
                .await()
                .atMost(WAIT);

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void failsAtOnceOnAPermanentFailure() {
        assertThatThrownBy(() -> retry.run("apply Deployment a/b", () -> {
                            attempts.incrementAndGet();
                            return Uni.createFrom().failure(status(403, "deployments.apps \"b\" is forbidden"));
                        })
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(403);
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("apply Deployment a/b: deployments.apps \"b\" is forbidden");
                });
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givesUpAsTransientOnceTheBudgetIsSpent() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> retry.run("list pods", () -> {
                            attempts.incrementAndGet();
                            return Uni.createFrom().failure(status(429, "too many requests"));
                        })
                        .await()
                        .atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isTrue();
                    assertThat(e.getStatus()).isEqualTo(429);
                    assertThat(e.getMessage())
                            .isEqualTo("list pods: too many requests (gave up after " + attempts.get()
                                    + " attempts within PT0.8S)");
                });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isLessThan(BUDGET.plusMillis(500));
        assertThat(attempts.get()).isGreaterThan(3);
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheMaximum() {
        for (int i = 0; i < 50; i++) {
            assertThat(retry.backoff(1)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            assertThat(retry.backoff(2)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
            assertThat(retry.backoff(3)).isBetween(Duration.ofMillis(40), Duration.ofMillis(80));
            assertThat(retry.backoff(30)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        }
    }

    private static KubernetesClientException status(int code, String message) {
        return new KubernetesClientException(
                new StatusBuilder().withCode(code).withMessage(message).build());
    }
}
