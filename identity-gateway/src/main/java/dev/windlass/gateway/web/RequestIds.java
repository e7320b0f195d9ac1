package dev.windlass.gateway.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/** The {@value #HEADER} of a request: the caller's when it is well-formed, otherwise a new UUID. */
public final class RequestIds {

    /** Header carrying the request id in both directions and to the services. */
    public static final String HEADER = "X-Request-Id";

    /** MDC key under which log lines carry the request id. */
    public static final String MDC_KEY = "requestId";

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    /** The id to use for a request that arrived with {@code incoming} (may be null). */
    public static String accept(String incoming) {
        return incoming != null && WELL_FORMED.matcher(incoming).matches()
                ? incoming
                : UUID.randomUUID().toString();
    }

    /** The id the request id filter settled on for {@code request}, or null before it ran. */
    public static String current(HttpServerRequest request) {
        return request.getHeader(HEADER);
    }
}
