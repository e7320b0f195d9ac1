package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.ValidationFailedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request whose path or query holds a NUL character: no name, id or filter can contain one, and
 * PostgreSQL cannot even compare text with it (it would fail the query, a 500).
 */
public class NulCharacterFilter {

    @ServerRequestFilter(preMatching = true)
    public void refuseNul(ContainerRequestContext request) {
        String uri = request.getUriInfo().getRequestUri().getRawPath() + "?"
                + request.getUriInfo().getRequestUri().getRawQuery();
        if (uri.contains("%00") || uri.contains("\u0000")) {
            throw new ValidationFailedException("path", "invalid-characters", "must not contain NUL characters");
        }
    }
}
