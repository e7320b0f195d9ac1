package dev.windlass.deployer.security;

import dev.windlass.deployer.config.DeployerConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/**
 * Refuses an ID token sent as a bearer access token, during quarkus-oidc's own token verification (a 401 like any
 * other bad token). Authentik signs both with the same key, issuer, audience and {@code typ}; only an ID token carries
 * {@code at_hash} or {@code c_hash} ({@code windlass.deployer.id-token-claims}), the same rule as the gateway's.
 */
@Unremovable
@ApplicationScoped
public class IdTokenValidator implements Validator {

    private final List<String> idTokenClaims;

    IdTokenValidator(DeployerConfig config) {
        this.idTokenClaims = List.copyOf(config.idTokenClaims());
    }

    @Override
    public String validate(JwtContext context) {
        JwtClaims claims = context.getJwtClaims();
        return idTokenClaims.stream()
                .filter(claims::hasClaim)
                .findFirst()
                .map(claim -> "an ID token (it carries " + claim + ") is not an access token")
                .orElse(null);
    }
}
