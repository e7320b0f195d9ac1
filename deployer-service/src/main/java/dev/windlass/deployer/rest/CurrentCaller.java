package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of the current request: token subject, user name, groups and the admin role. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public CurrentCaller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public Caller get() {
        String username = token.getClaim("preferred_username");
        Set<String> groups = token.getGroups();
        return new Caller(token.getSubject(), username, groups, identity.hasRole(Roles.ADMIN));
    }
}
