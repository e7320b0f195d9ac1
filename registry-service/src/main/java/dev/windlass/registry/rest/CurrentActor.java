package dev.windlass.registry.rest;

import dev.windlass.registry.domain.Actor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of the current request as an audit actor: the token's {@code sub} and {@code preferred_username}. */
@RequestScoped
public class CurrentActor {

    @Inject
    JsonWebToken token;

    public Actor get() {
        String username = token.getClaim("preferred_username");
        return new Actor(token.getSubject(), username);
    }
}
