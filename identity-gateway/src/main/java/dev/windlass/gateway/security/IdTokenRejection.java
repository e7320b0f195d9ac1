package dev.windlass.gateway.security;

import dev.windlass.gateway.config.GatewayConfig;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Refuses an ID token sent as a bearer access token. Authentik signs both with the same key, issuer, audience and
 * {@code typ}, so only their claims tell them apart: an ID token issued with an access token carries
 * {@code at_hash} (a hash of that access token, which the access token itself cannot contain), and one issued with a
 * code carries {@code c_hash}. {@code nonce} is no marker: providers copy it into access tokens too. The claims are
 * configuration ({@code windlass.gateway.id-token-claims}).
 */
@ApplicationScoped
public class IdTokenRejection implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(IdTokenRejection.class);

    private final List<String> idTokenClaims;

    IdTokenRejection(GatewayConfig config) {
        this.idTokenClaims = List.copyOf(config.idTokenClaims());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        // a browser session's identity is built from its ID token on purpose; only bearer tokens are checked
        if (identity.isAnonymous() || identity.getCredential(IdTokenCredential.class) != null) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken token && isIdToken(token)) {
            LOG.debugf("refused an ID token of %s presented as an access token", token.getName());
            return Uni.createFrom().failure(new AuthenticationFailedException("ID token presented as access token"));
        }
        return Uni.createFrom().item(identity);
    }

    boolean isIdToken(JsonWebToken token) {
        return idTokenClaims.stream().anyMatch(token::containsClaim);
    }
}
