package dev.windlass.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.http.HttpClosedException;
import java.util.function.Supplier;

/**
 * Requests that the caller does not retry (it asks again, or it only cleans up): sent once more when, and only when,
 * the pooled connection they went out on was closed before any answer came, a keep-alive connection the API server
 * had just let go. Fabric8 retries an {@code IOException} but not the Vert.x client's {@link HttpClosedException},
 * so this is the one place that does. Nothing reached the API server's handlers then, so the same request on a new
 * connection is the same request; every other failure is the caller's to see.
 */
public final class Reads {

    private Reads() {}

    public static <T> T get(Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (!closedBeforeAnswer(e)) {
                throw e;
            }
            return read.get();
        }
    }

    /** Whether the failure is a connection closed under the request, before any status came back. */
    public static boolean closedBeforeAnswer(KubernetesClientException e) {
        if (e.getCode() > 0) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }
}
