package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the Traefik Middleware that puts Authentik forward-auth in front of an app, as Authentik documents it for
 * Traefik: every request is first sent to the cluster's outpost at {@code /outpost.goauthentik.io/auth/traefik};
 * the outpost answers 2xx with the user's headers (passed on to the app) or sends the browser to sign in.
 */
final class ForwardAuthRenderer {

    /** Authentik's forward-auth endpoint for Traefik, under the outpost's address. */
    static final String OUTPOST_PATH = "/outpost.goauthentik.io/auth/traefik";

    /** The headers of Authentik's answer Traefik copies into the request to the app, as Authentik documents them. */
    static final List<String> AUTH_RESPONSE_HEADERS = List.of(
            "X-authentik-username",
            "X-authentik-groups",
            "X-authentik-entitlements",
            "X-authentik-email",
            "X-authentik-name",
            "X-authentik-uid",
            "X-authentik-jwt",
            "X-authentik-meta-jwks",
            "X-authentik-meta-outpost",
            "X-authentik-meta-provider",
            "X-authentik-meta-app",
            "X-authentik-meta-version");

    private ForwardAuthRenderer() {}

    /**
     * The Middleware of {@code app} at {@code revision}; {@code outpostUrl} (without a trailing slash) may be null only
     * where nothing is applied (the refs of a revision).
     */
    static TraefikMiddleware render(String namespace, String app, int revision, String outpostUrl) {
        Map<String, Object> forwardAuth = new LinkedHashMap<>();
        forwardAuth.put("address", outpostUrl == null ? null : outpostUrl + OUTPOST_PATH);
        // Authentik reads the original host, path and scheme from X-Forwarded-*; Traefik 3.6 warns when it is unset
        forwardAuth.put("trustForwardHeader", true);
        forwardAuth.put("authResponseHeaders", AUTH_RESPONSE_HEADERS);
        TraefikMiddleware middleware = new TraefikMiddleware();
        middleware.setMetadata(new ObjectMetaBuilder()
                .withName(ObjectNames.forwardAuth(app))
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(app, revision))
                .build());
        middleware.setSpec(Map.of("forwardAuth", forwardAuth));
        return middleware;
    }

    /** The value Traefik's {@code router.middlewares} annotation names the Middleware by. */
    static String reference(String namespace, String app) {
        return namespace + "-" + ObjectNames.forwardAuth(app) + "@kubernetescrd";
    }
}
