package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.http.HttpClosedException;
import java.util.function.Supplier;

/**
 * Reads for the app status, logs and events, which are not retried (a caller asks again): except once when the
 * pooled connection the read went out on was closed by the server before any answer came (a keep-alive or HTTP/2
 * connection the API server had just let go). Nothing reached the API server's handlers then, so the same read on a
 * new connection is the same read; every other failure is the caller's to see.
 */
final class Reads {

    private Reads() {}

    static <T> T get(Supplier<T> read) {
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
    static boolean closedBeforeAnswer(KubernetesClientException e) {
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
