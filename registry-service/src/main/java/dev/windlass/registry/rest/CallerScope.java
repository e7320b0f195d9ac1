package dev.windlass.registry.rest;

import dev.windlass.common.access.Destinations;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.service.OrchestratorNotFoundException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Which orchestrators the caller of the current request sees: an admin every one, anyone else those where a
 * destination lists one of the token's groups ({@link Destinations#visible}), as the deployer scopes its reads. An
 * orchestrator the caller does not see is answered like one that does not exist (404).
 */
@RequestScoped
public class CallerScope {

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    /** The caller's groups, or null for an admin, who sees all. */
    public Set<String> visibleTo() {
        if (identity.hasRole(Roles.ADMIN)) {
            return null;
        }
        Set<String> groups = token.getGroups();
        return groups == null ? Set.of() : Set.copyOf(groups);
    }

    /** {@code o} when a caller with {@code visibleTo} ({@link #visibleTo()}) sees it; otherwise fails as not found. */
    public static Orchestrator require(Orchestrator o, Set<String> visibleTo) {
        if (visibleTo != null && !Destinations.visible(o.getAllowedGroups(), visibleTo)) {
            throw new OrchestratorNotFoundException(o.getId());
        }
        return o;
    }
}
