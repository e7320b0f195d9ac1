package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Counts the requests the deployer's Kubernetes clients make, at {@code /q/metrics} as
 * {@code windlass_kubernetes_requests_total} by HTTP method and status (the response's code, or
 * {@code connection-failure}); server-side applies are the {@code PATCH}es. The orchestrator is not a tag (names are
 * unbounded and change).
 */
public final class RequestMetrics implements Interceptor {

    private final MeterRegistry meters;

    public RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        count(request.method(), Integer.toString(response.code()));
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        count(request.method(), "connection-failure");
    }

    private void count(String method, String status) {
        Counter.builder("windlass.kubernetes.requests")
                .description("Requests to orchestrators' API servers, by method and status")
                .tags("method", method, "status", status)
                .register(meters)
                .increment();
    }
}
