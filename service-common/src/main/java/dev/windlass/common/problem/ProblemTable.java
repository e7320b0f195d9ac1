package dev.windlass.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One table from exception to HTTP status and problem type: the entries every service shares (unreadable JSON,
 * authentication, authorization) and a service's own. A class not listed takes the entry of its nearest listed
 * superclass; a JAX-RS exception keeps its 4xx status; an outage of a backing service is a 503; anything else is a 500
 * whose body says nothing about the cause.
 */
public final class ProblemTable {

    public static final ProblemEntry INTERNAL = new ProblemEntry(500, "internal-error", "Internal error");

    /** A backing service cannot be reached (the database restarting, say): worth trying again shortly. */
    public static final ProblemEntry UNAVAILABLE = new ProblemEntry(503, "unavailable", "Service unavailable");

    public static final ProblemEntry VALIDATION = new ProblemEntry(400, "validation", "Invalid request");
    public static final ProblemEntry UNAUTHORIZED = new ProblemEntry(401, "unauthorized", "Authentication required");
    public static final ProblemEntry FORBIDDEN = new ProblemEntry(403, "forbidden", "Forbidden");

    /** The caller has as many event streams open as one caller may ({@code Retry-After: 5}). */
    public static final ProblemEntry TOO_MANY_STREAMS = new ProblemEntry(429, "too-many-streams", "Too many requests");

    private final Map<Class<? extends Throwable>, ProblemEntry> table;
    private final Predicate<Throwable> outage;

    /**
     * The shared entries plus a service's {@code own} (which win on the same class), and what counts as an outage of a
     * backing service.
     */
    public ProblemTable(Map<Class<? extends Throwable>, ProblemEntry> own, Predicate<Throwable> outage) {
        Map<Class<? extends Throwable>, ProblemEntry> all = new LinkedHashMap<>();
        all.put(JsonProcessingException.class, VALIDATION);
        all.put(UnauthorizedException.class, UNAUTHORIZED);
        all.put(AuthenticationFailedException.class, UNAUTHORIZED);
        all.put(ForbiddenException.class, FORBIDDEN);
        all.putAll(own);
        this.table = Map.copyOf(all);
        this.outage = outage;
    }

    /** The entry for {@code failure}: listed class, nearest listed superclass, a JAX-RS 4xx status, outage, or 500. */
    public ProblemEntry entryFor(Throwable failure) {
        for (Class<?> c = failure.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            ProblemEntry entry = table.get(c);
            if (entry != null) {
                return entry;
            }
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                Response.Status known = Response.Status.fromStatusCode(status);
                return new ProblemEntry(
                        status, "http-" + status, known != null ? known.getReasonPhrase() : "Client error");
            }
        }
        if (outage.test(failure)) {
            return UNAVAILABLE;
        }
        return INTERNAL;
    }

    /** The table itself, for documentation and tests. */
    public Map<Class<? extends Throwable>, ProblemEntry> table() {
        return table;
    }
}
