package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.smallrye.mutiny.Uni;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code concurrency-per-orchestrator} counts requests: however many revisions are applied at once, the server-side
 * applies in flight to one API server stay within it, and every revision is still applied.
 */
class RequestPermitsTest {

    @Test
    void revisionsAppliedAtOnceKeepTheirRequestsWithinThePermits() {
        KubernetesSettings defaults = TestClusters.settings();
        KubernetesSettings twoPermits = new KubernetesSettings(
                defaults.fieldManager(),
                defaults.connectTimeout(),
                defaults.requestTimeout(),
                Duration.ofSeconds(30),
                defaults.initialBackoff(),
                defaults.maxBackoff(),
                2,
                defaults.rolloutDeadline(),
                defaults.ingressControllerNamespace(),
                defaults.metallbNamespace());
        AppliesInFlight applies = new AppliesInFlight();
        FabricClusterOperations operations = new FabricClusterOperations(twoPermits, TestClusters.executor(), applies);
        try {
            ClusterConnection cluster = TestClusters.admin("permits");
            String namespace = TestClusters.namespace("permits");
            TestClusters.kube().ensureNamespace(namespace);
            List<Uni<ApplyResult>> revisions = IntStream.range(0, 4)
                    .mapToObj(i -> operations.apply(cluster, namespace, AppSpecs.full("web-" + i), 1))
                    .toList();

            List<ApplyResult> applied =
                    Uni.join().all(revisions).andFailFast().await().atMost(Duration.ofSeconds(60));

            assertThat(applied)
                    .allSatisfy(result -> assertThat(result.applied()).hasSizeGreaterThan(4));
            assertThat(applies.total.get()).isGreaterThanOrEqualTo(20);
            assertThat(applies.most.get())
                    .as("server-side applies in flight at once")
                    .isBetween(1, 2);
        } finally {
            operations.close();
        }
    }

    /** Counts the PATCHes (server-side applies) between their sending and their answer. */
    private static final class AppliesInFlight implements Interceptor {

        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if ("PATCH".equals(request.method())) {
                total.incrementAndGet();
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
            }
        }

        @Override
        public void after(
                HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            if ("PATCH".equals(request.method())) {
                now.decrementAndGet();
            }
        }

        @Override
        public void afterConnectionFailure(HttpRequest request, Throwable failure) {
            if ("PATCH".equals(request.method())) {
                now.decrementAndGet();
            }
        }
    }
}
