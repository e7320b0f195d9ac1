package dev.windlass.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.windlass.registry.service.DuplicateNameException;
import dev.windlass.registry.service.OrchestratorNotFoundException;
import dev.windlass.registry.service.PreconditionRequiredException;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.VersionMismatchException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.WebApplicationException;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table from exception to HTTP status and problem type. A class not listed takes the entry of its nearest
 * listed superclass; anything else is a 500 whose body says nothing about the cause.
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
        TABLE.put(OrchestratorNotFoundException.class, new Entry(404, "not-found", "Not found"));
        TABLE.put(DuplicateNameException.class, new Entry(409, "duplicate-name", "Name already taken"));
        TABLE.put(VersionMismatchException.class, new Entry(412, "stale-version", "Precondition failed"));
        TABLE.put(PreconditionRequiredException.class, new Entry(428, "if-match-required", "Precondition required"));
    }

    private ProblemStatusMap() {}

    /** The entry for {@code failure}: listed class, nearest listed superclass, a JAX-RS status, or 500. */
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
                return new Entry(status, "http-" + status, reason(status));
            }
        }
        if (isDatabaseOutage(failure)) {
            return UNAVAILABLE;
        }
        return INTERNAL;
    }

    /** The table itself, for documentation and tests. */
    public static Map<Class<? extends Throwable>, Entry> table() {
        return Map.copyOf(TABLE);
    }

    private static String reason(int status) {
        jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Client error";
    }

    /**
     * Whether {@code failure} comes from the database connection: refused or reset, closed under the client, or the
     * server's connection-class (08) and operator-intervention (57P, shutting down) errors.
     */
    static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
