package dev.windlass.registry.support;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;

/** Bearer tokens from the dev stack's Authentik-shaped issuer. */
public final class Tokens {

    private Tokens() {}

    public static String admin() {
        return DevStack.oidc().accessToken(DevUser.ADMIN);
    }

    public static String deployer() {
        return DevStack.oidc().accessToken(DevUser.DEPLOYER);
    }

    public static String viewer() {
        return DevStack.oidc().accessToken(DevUser.VIEWER);
    }

    /** A client-credentials token with the {@code service} role. */
    public static String service() {
        return DevStack.oidc().serviceToken();
    }
}
