package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Kubernetes client per orchestrator, kept while the orchestrator's connection version stays the same; a new
 * version replaces (and closes) the old client.
 */
public final class ClientCache implements AutoCloseable {

    private final ClientFactory factory;
    private final Map<String, Cached> clients = new ConcurrentHashMap<>();

    public ClientCache(ClientFactory factory) {
        this.factory = factory;
    }

    /** The client of {@code cluster}, built on first use or when its version changed. */
    public KubernetesClient client(ClusterConnection cluster) {
        return clients.compute(cluster.name(), (name, cached) -> {
                    if (cached != null && cached.version() == cluster.version()) {
                        return cached;
                    }
                    if (cached != null) {
                        cached.client().close();
                    }
                    return new Cached(cluster.version(), factory.create(cluster));
                })
                .client();
    }

    /** Closes and drops the client of an orchestrator, if any. */
    public void forget(String orchestrator) {
        Cached cached = clients.remove(orchestrator);
        if (cached != null) {
            cached.client().close();
        }
    }

    /** Whether a client of {@code orchestrator} is cached. */
    public boolean holds(String orchestrator) {
        return clients.containsKey(orchestrator);
    }

    @Override
    public void close() {
        clients.keySet().forEach(this::forget);
    }

    private record Cached(long version, KubernetesClient client) {}
}
