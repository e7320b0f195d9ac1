package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Optional;

/**
 * Every kind of namespaced object Windlass renders for an app, in the order they are removed: traffic first
 * (Ingress, the forward-auth Middleware it refers to, Services), then the workload, then what it used (Secret,
 * claims), the NetworkPolicy last.
 */
enum ManagedKind {
    INGRESS(Ingress.class, false),
    MIDDLEWARE(TraefikMiddleware.class, true),
    SERVICE(Service.class, false),
    DEPLOYMENT(Deployment.class, false),
    SECRET(Secret.class, false),
    PERSISTENT_VOLUME_CLAIM(PersistentVolumeClaim.class, false),
    NETWORK_POLICY(NetworkPolicy.class, false);

    private final Class<? extends HasMetadata> type;
    private final boolean custom;

    ManagedKind(Class<? extends HasMetadata> type, boolean custom) {
        this.type = type;
        this.custom = custom;
    }

    Class<? extends HasMetadata> type() {
        return type;
    }

    /**
     * Whether the kind is served only where its CRD is installed: a cluster whose API discovery does not list it has
     * no object of it, and is not asked for them.
     */
    boolean custom() {
        return custom;
    }

    /** The kind's name as in an object's {@code kind}. */
    String kind() {
        return HasMetadata.getKind(type);
    }

    /** The managed kind named {@code kind}, if Windlass manages it. */
    static Optional<ManagedKind> of(String kind) {
        for (ManagedKind managed : values()) {
            if (managed.kind().equals(kind)) {
                return Optional.of(managed);
            }
        }
        return Optional.empty();
    }
}
