package dev.windlass.gateway.rest;

import dev.windlass.gateway.web.RequestIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** Writes problem+json responses from Vert.x routes and filters, where no exception mapper runs. */
public final class ProblemWriter {

    /** Detail of every 401: what the caller has to do. */
    public static final String UNAUTHORIZED =
            "Sign in, or send a valid access token as 'Authorization: Bearer <token>'.";

    /** Detail of every 403 from a role check. */
    public static final String FORBIDDEN = "Your roles do not allow this request.";

    private ProblemWriter() {}

    /** The detail shown to a client: fixed wording for 401 and 403, so no internal reason leaks. */
    public static String clientDetail(int status, String message) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            default -> message;
        };
    }

    /** Ends the response with {@code status} and {@code detail}, unless it has already started. */
    public static void write(RoutingContext rc, int status, String detail) {
        if (rc.response().headWritten() || rc.response().ended()) {
            return;
        }
        Problem problem = Problem.of(status, detail, rc.request().path(), RequestIds.current(rc.request()));
        rc.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }
}
