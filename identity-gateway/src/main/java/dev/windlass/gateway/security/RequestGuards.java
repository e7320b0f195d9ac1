package dev.windlass.gateway.security;

import dev.windlass.gateway.config.GatewayConfig;
import dev.windlass.gateway.rest.ProblemWriter;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Checks that run before authentication: CSRF for cookie-authenticated state changes, and a plain 401 for API
 * calls that carry no credentials at all (an API never answers with a redirect to the sign-in page).
 */
@ApplicationScoped
public class RequestGuards {

    /** After the request id filter, ahead of CORS (300) and authentication (200). */
    static final int PRIORITY = 400;

    /** Prefix of the session cookies quarkus-oidc sets for the default tenant. */
    static final String SESSION_COOKIE = "q_session";

    private static final Logger LOG = Logger.getLogger(RequestGuards.class);

    private final List<String> trustedOrigins;

    RequestGuards(GatewayConfig config) {
        this.trustedOrigins = config.trustedOrigins().orElse(List.of());
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean bearer = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        boolean session = hasSessionCookie(request);
        String refusal = CsrfPolicy.refusal(
                new CsrfPolicy.Request(
                        request.method().name(),
                        bearer,
                        session,
                        request.getHeader("Sec-Fetch-Site"),
                        request.getHeader(HttpHeaders.ORIGIN),
                        request.getHeader(HttpHeaders.REFERER),
                        request.scheme() + "://" + request.host()),
                trustedOrigins);
        if (refusal != null) {
            LOG.warnf("refused %s %s: %s", request.method(), request.path(), refusal);
            ProblemWriter.write(rc, 403, "Cross-site request refused: " + refusal + ".");
            return;
        }
        if (isApi(request.path()) && !bearer && !session) {
            rc.response().putHeader("WWW-Authenticate", "Bearer");
            ProblemWriter.write(rc, 401, ProblemWriter.UNAUTHORIZED);
            return;
        }
        rc.next();
    }

    /** Whether {@code path} belongs to the JSON API, which answers 401/403 instead of redirecting to sign-in. */
    public static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    private static boolean hasSessionCookie(HttpServerRequest request) {
        for (Cookie cookie : request.cookies()) {
            if (cookie.getName().startsWith(SESSION_COOKIE)) {
                return true;
            }
        }
        return false;
    }
}
