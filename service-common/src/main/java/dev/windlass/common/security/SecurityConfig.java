package dev.windlass.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Token rules shared by every service ({@code windlass.security.*}). */
@ConfigMapping(prefix = "windlass.security")
public interface SecurityConfig {

    /**
     * Claims a bearer token must all carry to be taken as an access token. Authentik adds {@code azp} and {@code uid}
     * to its access tokens only ({@code IDToken.to_access_token}); its ID tokens have every other claim.
     */
    @WithDefault("azp,uid")
    List<String> accessTokenClaims();
}
