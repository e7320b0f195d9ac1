package dev.windlass.gateway.security;

import dev.windlass.gateway.rest.ProblemWriter;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Authentication and authorization failures on {@code /api/**} as problem+json 401/403; the rest of the gateway
 * keeps quarkus-oidc's behaviour (a redirect to sign in).
 */
@ApplicationScoped
public class ApiAuthFailures {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (!RequestGuards.isApi(rc.request().path())) {
            rc.next();
            return;
        }
        Throwable failure = rc.failure();
        // AuthenticationException marks failed, incomplete and redirecting (code flow) authentications alike
        if (failure instanceof AuthenticationException
                || failure instanceof UnauthorizedException
                || (failure == null && rc.statusCode() == 401)) {
            rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ProblemWriter.write(rc, 401, ProblemWriter.UNAUTHORIZED);
        } else if (failure instanceof ForbiddenException || (failure == null && rc.statusCode() == 403)) {
            ProblemWriter.write(rc, 403, ProblemWriter.FORBIDDEN);
        } else {
            rc.next();
        }
    }
}
