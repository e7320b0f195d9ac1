package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Kubernetes client per orchestrator, kept while the orchestrator's connection version stays the same; a new
 * version replaces (and closes) the old client. Whoever holds a client for long, such as a rollout watch, can ask to
 * hear when it is retired.
 */
public final class ClientCache implements AutoCloseable {

    private final ClientFactory factory;
    private final Map<String, Cached> clients = new ConcurrentHashMap<>();
    private final Map<String, Set<Runnable>> retirementListeners = new ConcurrentHashMap<>();

    public ClientCache(ClientFactory factory) {
        this.factory = factory;
    }

    /**
     * The client of {@code cluster}, built on first use or when its version changed. Material older than that of the
     * cached client of the same orchestrator (an operation that fetched it before a change) gets the newer client: a
     * client is never replaced by one of older material.
     */
    public KubernetesClient client(ClusterConnection cluster) {
        AtomicReference<Cached> replaced = new AtomicReference<>();
        Cached current = clients.compute(cluster.name(), (name, cached) -> {
            if (cached != null && Objects.equals(cached.id(), cluster.id()) && cached.version() >= cluster.version()) {
                return cached;
            }
            replaced.set(cached);
            return new Cached(cluster.id(), cluster.version(), factory.create(cluster));
        });
        retire(cluster.name(), replaced.get());
        return current.client();
    }

    /**
     * The client of {@code cluster} for one more attempt of an operation, {@code used} holding the client of its
     * earlier attempts; fails with {@link StaleConnectionException} when the cache now hands out another one (the
     * material changed since).
     */
    public KubernetesClient sameClient(ClusterConnection cluster, AtomicReference<KubernetesClient> used) {
        KubernetesClient now = client(cluster);
        KubernetesClient before = used.compareAndExchange(null, now);
        if (before != null && before != now) {
            throw new StaleConnectionException(cluster.name());
        }
        return now;
    }

    /** Closes and drops the client of an orchestrator, if any. */
    public void forget(String orchestrator) {
        retire(orchestrator, clients.remove(orchestrator));
    }

    /** Whether a client of {@code orchestrator} is cached. */
    public boolean holds(String orchestrator) {
        return clients.containsKey(orchestrator);
    }

    /**
     * Runs {@code listener} each time the client of {@code orchestrator} is closed (replaced or forgotten) until the
     * returned handle is closed. The listener must not block.
     */
    public AutoCloseable onRetired(String orchestrator, Runnable listener) {
        Set<Runnable> listeners =
                retirementListeners.computeIfAbsent(orchestrator, name -> ConcurrentHashMap.newKeySet());
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        clients.keySet().forEach(this::forget);
    }

    private void retire(String orchestrator, Cached cached) {
        if (cached == null) {
            return;
        }
        cached.client().close();
        retirementListeners.getOrDefault(orchestrator, Set.of()).forEach(Runnable::run);
    }

    private record Cached(UUID id, long version, KubernetesClient client) {}
}
