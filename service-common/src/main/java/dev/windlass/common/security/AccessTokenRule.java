package dev.windlass.common.security;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tells an access token from an ID token of the same provider by the claims only access tokens carry. Authentik signs
 * both with the same key, issuer, audience and {@code typ}, and its token endpoint puts no {@code at_hash} into the
 * ID tokens it issues with a code, a refresh token or client credentials, so only the access token's own claims
 * ({@code azp}, {@code uid}) are a rule that holds for every grant.
 */
public final class AccessTokenRule {

    private final List<String> requiredClaims;

    public AccessTokenRule(List<String> requiredClaims) {
        if (requiredClaims.isEmpty()) {
            throw new IllegalArgumentException("an access token must be told by at least one claim");
        }
        this.requiredClaims = List.copyOf(requiredClaims);
    }

    /** The first required claim a token lacks ({@code hasClaim} answers for the token), or empty for an access token. */
    public Optional<String> missingClaim(Predicate<String> hasClaim) {
        return requiredClaims.stream().filter(hasClaim.negate()).findFirst();
    }

    public List<String> requiredClaims() {
        return requiredClaims;
    }
}
