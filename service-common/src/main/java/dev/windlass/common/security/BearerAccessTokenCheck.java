package dev.windlass.common.security;

import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Refuses a bearer token that is not an access token ({@link AccessTokenRule}, claims from
 * {@code windlass.security.access-token-claims}) with the same 401 as any other bad token, after quarkus-oidc has
 * verified signature, issuer, audience and times. A browser session's identity (the gateway's code flow) is built from
 * its ID token on purpose and is left alone; this is why the rule is not a check inside token verification, which also
 * verifies that ID token.
 */
@ApplicationScoped
public class BearerAccessTokenCheck implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(BearerAccessTokenCheck.class);

    private final AccessTokenRule rule;

    BearerAccessTokenCheck(SecurityConfig config) {
        this.rule = new AccessTokenRule(config.accessTokenClaims());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getCredential(IdTokenCredential.class) != null) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String missing = rule.missingClaim(token::containsClaim).orElse(null);
            if (missing != null) {
                LOG.debugf("refused a bearer token without %s: not an access token", missing);
                return Uni.createFrom().failure(new AuthenticationFailedException("not an access token"));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
