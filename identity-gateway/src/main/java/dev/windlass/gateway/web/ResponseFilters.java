package dev.windlass.gateway.web;

import dev.windlass.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Runs first on every request: settles the request id (header, MDC, response) and puts the security headers on
 * whatever response follows, including redirects and errors from the authentication layer.
 */
@ApplicationScoped
public class ResponseFilters {

    /** Ahead of CORS (300) and authentication (200). */
    static final int PRIORITY = 1000;

    private final GatewayConfig config;

    ResponseFilters(GatewayConfig config) {
        this.config = config;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext rc) {
        String requestId = RequestIds.accept(rc.request().getHeader(RequestIds.HEADER));
        rc.request().headers().set(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        boolean tls = "https".equalsIgnoreCase(rc.request().scheme());
        rc.addHeadersEndHandler(v -> {
            MultiMap headers = rc.response().headers();
            headers.set(RequestIds.HEADER, requestId);
            headers.set("Content-Security-Policy", config.contentSecurityPolicy());
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", config.referrerPolicy());
            if (tls) {
                headers.set(
                        "Strict-Transport-Security",
                        "max-age=" + config.hstsMaxAge().toSeconds() + "; includeSubDomains");
            } else {
                headers.remove("Strict-Transport-Security");
            }
        });
        rc.next();
    }
}
