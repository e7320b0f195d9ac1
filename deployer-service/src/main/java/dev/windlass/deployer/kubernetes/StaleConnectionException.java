package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The orchestrator's connection material changed while an operation was retrying with it (the client it used was
 * replaced or forgotten): the operation stops at once instead of spending its retry budget on material that may
 * point at an API server that is gone or at credentials that were revoked. Transient: the caller fetches the
 * material again and retries.
 */
public final class StaleConnectionException extends ClusterException {

    private static final long serialVersionUID = 1L;

    StaleConnectionException(String orchestrator) {
        super(
                "the connection of orchestrator '" + orchestrator + "' changed while this was under way; trying again"
                        + " with the new one",
                0,
                true,
                null);
    }

    /**
     * The orchestrator's client for one attempt of an operation, {@code used} holding the client of its earlier
     * attempts; fails when the cache now hands out another one.
     */
    static KubernetesClient sameClient(
            ClientCache clients, ClusterConnection cluster, AtomicReference<KubernetesClient> used) {
        KubernetesClient now = clients.client(cluster);
        KubernetesClient before = used.compareAndExchange(null, now);
        if (before != null && before != now) {
            throw new StaleConnectionException(cluster.name());
        }
        return now;
    }
}
