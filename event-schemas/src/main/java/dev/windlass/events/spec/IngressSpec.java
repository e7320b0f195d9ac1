package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An Ingress from a host name to the app's INGRESS port.
 *
 * <p>{@code path} defaults to {@code /} (prefix match); {@code tlsIssuer} names a cert-manager
 * (Cluster)Issuer and turns TLS on; {@code forwardAuth} puts Authentik forward-auth (a Traefik middleware)
 * in front of the app.
 */
@RegisterForReflection
public record IngressSpec(@Required String host, String path, String className, String tlsIssuer, boolean forwardAuth) {

    /** Path used when none is given. */
    public static final String DEFAULT_PATH = "/";

    public IngressSpec {
        path = path == null ? DEFAULT_PATH : path;
    }

    /** A plain HTTP ingress for a host, at {@code /}. */
    public static IngressSpec host(String host) {
        return new IngressSpec(host, null, null, null, false);
    }
}
