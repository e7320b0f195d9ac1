package dev.windlass.registry.support;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import java.util.ArrayList;
import java.util.List;

/** Bearer tokens from the dev stack's Authentik-shaped issuer. */
public final class Tokens {

    private Tokens() {}

    public static String admin() {
        return DevStack.oidc().accessToken(DevUser.ADMIN);
    }

    /** The team whose orchestrators the tests' bodies make ({@code Orchestrators.tokenBody}): deployer and viewer are in it. */
    public static final String TEAM = "team-a";

    /** The dev deployer, also a member of {@link #TEAM}. */
    public static String deployer() {
        return DevStack.oidc().accessToken(DevUser.DEPLOYER.username(), List.of(DevUser.DEPLOYER.group(), TEAM));
    }

    /** The dev viewer, also a member of {@link #TEAM}. */
    public static String viewer() {
        return viewerOf(TEAM);
    }

    /** A viewer who is a member of {@code teams} (none: of no team). */
    public static String viewerOf(String... teams) {
        List<String> groups = new ArrayList<>(List.of(DevUser.VIEWER.group()));
        groups.addAll(List.of(teams));
        return DevStack.oidc()
                .accessToken(
                        teams.length == 0
                                ? DevUser.VIEWER.username()
                                : DevUser.VIEWER.username() + "-" + String.join("-", teams),
                        groups);
    }

    /** A client-credentials token with the {@code service} role. */
    public static String service() {
        return DevStack.oidc().serviceToken();
    }
}
