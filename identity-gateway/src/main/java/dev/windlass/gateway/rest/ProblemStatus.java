package dev.windlass.gateway.rest;

import dev.windlass.gateway.proxy.BackendTimeoutException;
import dev.windlass.gateway.proxy.BackendUnavailableException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
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
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 500 -> "Internal Server Error";
            default -> "HTTP " + status;
        };
    }
}
