package dev.windlass.deployer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.windlass.deployer.service.DatabaseOutage;
import dev.windlass.deployer.service.IdempotencyConflictException;
import dev.windlass.deployer.service.NotAllowedException;
import dev.windlass.deployer.service.NotFoundException;
import dev.windlass.deployer.service.RegistryUnavailableException;
import dev.windlass.deployer.service.ValidationFailedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table from exception to HTTP status and problem type. A class not listed takes the entry of its nearest
 * listed superclass; a JAX-RS exception keeps its 4xx status; anything else is a 500 that says nothing of its cause.
 */
public final class ProblemStatusMap {

    /** Status and problem type of one kind of failure. */
    public record Entry(int status, String slug, String title) {

        /** The problem {@code type} URI. */
        public String type() {
            return "urn:windlass:problem:" + slug;
        }
    }

    static final Entry INTERNAL = new Entry(500, "internal-error", "Internal error");

    /** The database cannot be reached (restarting, say): worth trying again shortly. */
    static final Entry UNAVAILABLE = new Entry(503, "unavailable", "Service unavailable");

    private static final Map<Class<? extends Throwable>, Entry> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(ValidationFailedException.class, new Entry(400, "validation", "Invalid request"));
        TABLE.put(JsonProcessingException.class, new Entry(400, "validation", "Invalid request"));
        TABLE.put(UnauthorizedException.class, new Entry(401, "unauthorized", "Authentication required"));
        TABLE.put(AuthenticationFailedException.class, new Entry(401, "unauthorized", "Authentication required"));
        TABLE.put(ForbiddenException.class, new Entry(403, "forbidden", "Forbidden"));
        TABLE.put(NotAllowedException.class, new Entry(403, "orchestrator-not-allowed", "Forbidden"));
        TABLE.put(NotFoundException.class, new Entry(404, "not-found", "Not found"));
        TABLE.put(IdempotencyConflictException.class, new Entry(409, "idempotency-conflict", "Conflict"));
        TABLE.put(RegistryUnavailableException.class, new Entry(503, "registry-unavailable", "Service unavailable"));
    }

    private ProblemStatusMap() {}

    /** The entry for {@code failure}: listed class, nearest listed superclass, a JAX-RS 4xx status, or 500. */
    public static Entry entryFor(Throwable failure) {
        for (Class<?> c = failure.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Entry entry = TABLE.get(c);
            if (entry != null) {
                return entry;
            }
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                Response.Status known = Response.Status.fromStatusCode(status);
                return new Entry(status, "http-" + status, known != null ? known.getReasonPhrase() : "Client error");
            }
        }
        if (DatabaseOutage.isCause(failure)) {
            return UNAVAILABLE;
        }
        return INTERNAL;
    }

    /** The table itself, for documentation and tests. */
    public static Map<Class<? extends Throwable>, Entry> table() {
        return Map.copyOf(TABLE);
    }
}
