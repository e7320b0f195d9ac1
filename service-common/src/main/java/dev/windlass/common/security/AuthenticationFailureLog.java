package dev.windlass.common.security;

import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Logs every failed authentication with the request and the kind of failure — never the token, and never an
 * exception message, since token libraries quote the token's claims in theirs.
 */
@ApplicationScoped
public class AuthenticationFailureLog {

    private static final Logger LOG = Logger.getLogger(AuthenticationFailureLog.class);

    void onFailure(@Observes AuthenticationFailureEvent event) {
        LOG.warnf(
                "authentication failed for %s: %s",
                request(event.getEventProperties()), kind(event.getAuthenticationFailure()));
    }

    public static String request(Map<String, Object> properties) {
        for (Object value : properties.values()) {
            if (value instanceof RoutingContext context) {
                return context.request().method() + " " + context.normalizedPath();
            }
        }
        return "a request";
    }

    /** The exception classes down the cause chain, e.g. {@code AuthenticationFailedException <- InvalidJwtException}. */
    public static String kind(Throwable failure) {
        List<String> names = new ArrayList<>();
        for (Throwable t = failure; t != null && names.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            names.add(t.getClass().getSimpleName());
        }
        return names.isEmpty() ? "unknown" : String.join(" <- ", names);
    }
}
