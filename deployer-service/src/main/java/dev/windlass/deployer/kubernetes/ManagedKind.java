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
 * (Ingress, Services), then the workload, then what it used (Secret, claims), the NetworkPolicy last.
 */
enum ManagedKind {
    INGRESS(Ingress.class),
    SERVICE(Service.class),
    DEPLOYMENT(Deployment.class),
    SECRET(Secret.class),
    PERSISTENT_VOLUME_CLAIM(PersistentVolumeClaim.class),
    NETWORK_POLICY(NetworkPolicy.class);

    private final Class<? extends HasMetadata> type;

    ManagedKind(Class<? extends HasMetadata> type) {
        this.type = type;
    }

    Class<? extends HasMetadata> type() {
        return type;
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
