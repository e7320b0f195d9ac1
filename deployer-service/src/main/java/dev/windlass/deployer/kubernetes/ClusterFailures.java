package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;

/**
 * Turns what the Kubernetes client throws into a {@link ClusterException}: the API server's own message, its HTTP
 * status, and whether retrying may help. Connection failures, 409, 429, 5xx and calls on a client closed meanwhile
 * are transient; TLS failures and the other 4xx (400, 401, 403, 404, 422…) are permanent.
 */
final class ClusterFailures {

    private ClusterFailures() {}

    /** A failure of {@code action} (e.g. "apply Deployment team-a/web"). */
    static ClusterException translate(String action, Throwable failure) {
        if (failure instanceof ClusterException cluster) {
            return cluster;
        }
        if (failure instanceof KubernetesClientException client && client.getCode() > 0) {
            int code = client.getCode();
            return new ClusterException(action + ": " + serverMessage(client), code, isTransientStatus(code), failure);
        }
        Throwable tls = find(failure, SSLException.class, GeneralSecurityException.class);
        if (tls != null) {
            return new ClusterException(
                    action + ": TLS failure: " + describe(tls) + " (check the CA certificate or skipTlsVerify)",
                    0,
                    false,
                    failure);
        }
        if (failure instanceof IllegalStateException && describe(failure).contains("closed")) {
            // The orchestrator's client was retired (an orchestrator event came in) while this call used it; the
            // next attempt builds a new one.
            return new ClusterException(
                    action + ": the client was replaced during the call (" + describe(failure) + ")", 0, true, failure);
        }
        if (failure instanceof KubernetesClientException || find(failure, java.io.IOException.class) != null) {
            return new ClusterException(
                    action + ": cannot reach the API server: " + describe(rootCause(failure)), 0, true, failure);
        }
        return new ClusterException(action + ": " + describe(failure), 0, false, failure);
    }

    /** Whether an HTTP status is worth retrying. */
    static boolean isTransientStatus(int code) {
        return code == 409 || code == 429 || code >= 500 || code == 408;
    }

    private static String serverMessage(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null
                && status.getMessage() != null
                && !status.getMessage().isBlank()) {
            return status.getMessage();
        }
        return "HTTP " + e.getCode();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? "no details" : message;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    @SafeVarargs
    private static Throwable find(Throwable t, Class<? extends Throwable>... types) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return cause;
                }
            }
        }
        return null;
    }
}
