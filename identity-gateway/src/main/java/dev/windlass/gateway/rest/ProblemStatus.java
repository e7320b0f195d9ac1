package dev.windlass.gateway.rest;

import dev.windlass.gateway.proxy.BackendBusyException;
import dev.windlass.gateway.proxy.BackendTimeoutException;
import dev.windlass.gateway.proxy.BackendUnavailableException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one table from exception to HTTP status; anything not listed is a 500. */
public final class ProblemStatus {

    private static final Map<Class<? extends Throwable>, Integer> STATUS = new LinkedHashMap<>();

    static {
        STATUS.put(UnauthorizedException.class, 401);
        STATUS.put(AuthenticationFailedException.class, 401);
        STATUS.put(AuthenticationCompletionException.class, 401);
        STATUS.put(ForbiddenException.class, 403);
        STATUS.put(ValidationException.class, 400);
        STATUS.put(IllegalArgumentException.class, 400);
        STATUS.put(BackendUnavailableException.class, 502);
        STATUS.put(BackendTimeoutException.class, 504);
        STATUS.put(BackendBusyException.class, 503);
    }

    private ProblemStatus() {}

    /** The status for {@code failure}: its own for a {@link WebApplicationException}, else the nearest listed type. */
    public static int of(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            return wae.getResponse().getStatus();
        }
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            Integer status = STATUS.get(type);
            if (status != null) {
                return status;
            }
        }
        return 500;
    }

    /** The reason phrase for a status, used as the problem's title. */
    public static String reason(int status) {
        if (status == 413) {
            return "Content Too Large"; // RFC 9110's name; JAX-RS still says "Request Entity Too Large"
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
