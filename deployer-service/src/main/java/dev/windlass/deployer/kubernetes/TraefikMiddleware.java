package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * Traefik's {@code Middleware} ({@code traefik.io/v1alpha1}, served by Traefik 2.10 and later; Traefik 3 serves no
 * other group), typed so that the client reads, lists and deletes it like the built-in kinds. Its spec stays a map:
 * Windlass writes only {@code forwardAuth} and reads back what the server holds.
 */
@Group(TraefikMiddleware.GROUP)
@Version(TraefikMiddleware.VERSION)
@Kind("Middleware")
@Plural("middlewares")
@RegisterForReflection
public final class TraefikMiddleware extends CustomResource<Map<String, Object>, Map<String, Object>>
        implements Namespaced {

    public static final String GROUP = "traefik.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
}
