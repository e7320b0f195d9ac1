package dev.windlass.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokenRuleTest {

    /** Authentik's default claims of a code-flow sign-in's ID token (no at_hash from the token endpoint). */
    private static final Set<String> ID_TOKEN = Set.of(
            "iss",
            "sub",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "acr",
            "nonce",
            "email",
            "name",
            "preferred_username",
            "groups");

    private static final Set<String> ACCESS_TOKEN = union(ID_TOKEN, Set.of("azp", "uid", "scope"));

    private final AccessTokenRule rule = new AccessTokenRule(List.of("azp", "uid"));

    @Test
    void anAccessTokenCarriesEveryRequiredClaim() {
        assertThat(rule.missingClaim(ACCESS_TOKEN::contains)).isEmpty();
    }

    @Test
    void anIdTokenOfTheCodeFlowLacksThem() {
        assertThat(rule.missingClaim(ID_TOKEN::contains)).contains("azp");
    }

    @Test
    void anIdTokenWithAtHashIsRefusedToo() {
        assertThat(rule.missingClaim(union(ID_TOKEN, Set.of("at_hash"))::contains))
                .contains("azp");
    }

    @Test
    void eachRequiredClaimCounts() {
        assertThat(rule.missingClaim(union(ID_TOKEN, Set.of("azp"))::contains)).contains("uid");
    }

    @Test
    void aRuleWithoutClaimsIsAConfigurationError() {
        assertThatThrownBy(() -> new AccessTokenRule(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
