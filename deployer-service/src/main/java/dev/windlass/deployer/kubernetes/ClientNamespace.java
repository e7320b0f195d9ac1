package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A namespace as seen through one client: the key of what is kept per client and namespace (watches, caches). Clients
 * are compared by identity, so a new client of the same orchestrator (its connection changed) gets its own.
 */
record ClientNamespace(KubernetesClient client, String namespace) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientNamespace key && key.client == client && key.namespace.equals(namespace);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(client) * 31 + namespace.hashCode();
    }
}
