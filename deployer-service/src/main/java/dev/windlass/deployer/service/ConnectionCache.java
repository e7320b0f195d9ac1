package dev.windlass.deployer.service;

import dev.windlass.common.identity.OrchestratorRef;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Orchestrator connection material from the registry, kept for a short time per orchestrator and dropped as soon
 * as the registry announces a change. Concurrent callers share one registry call; failures are not kept.
 */
@ApplicationScoped
public class ConnectionCache {

    private static final Logger LOG = Logger.getLogger(ConnectionCache.class);

    private record Entry(Uni<ClusterConnection> connection, Instant expires, AtomicReference<UUID> id) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final RegistryClient registry;
    private final ClusterOperations cluster;
    private final Duration ttl;
    private final Clock clock;

    public ConnectionCache(@RestClient RegistryClient registry, ClusterOperations cluster, DeployerConfig config) {
        this.registry = registry;
        this.cluster = cluster;
        this.ttl = config.connectionCacheTtl();
        this.clock = Clock.systemUTC();
    }

    /**
     * The orchestrator's connection material; fails with {@link OrchestratorNotFoundException} or {@link
     * RegistryUnavailableException}.
     */
    public Uni<ClusterConnection> get(String orchestrator) {
        if (!OrchestratorRef.wellFormed(orchestrator)) {
            // no orchestrator can have it: not worth a registry call (whose path it might not even survive)
            return Uni.createFrom().failure(new OrchestratorNotFoundException(orchestrator));
        }
        Instant now = clock.instant();
        Entry entry = entries.compute(
                orchestrator, (name, old) -> old != null && old.expires().isAfter(now) ? old : newEntry(name, now));
        Uni<ClusterConnection> connection =
                entry.connection().onFailure().invoke(() -> entries.remove(orchestrator, entry));
        // a shared registry call completes on the context of whoever started it: come back to the caller's, where
        // its database session lives
        Context caller = Vertx.currentContext();
        return caller == null ? connection : connection.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /**
     * The material for the next attempt of work already under way with {@code held}'s (null before the first
     * attempt), which it then holds: what the cache holds now, so that a change reaches the work; or, when the
     * orchestrator was deleted meanwhile, {@code held}'s, so that a deletion never strands work that may already
     * have reached its cluster (before the first attempt it fails as not found).
     */
    public Uni<ClusterConnection> current(String orchestrator, AtomicReference<ClusterConnection> held) {
        return get(orchestrator)
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithUni(notFound -> held.get() != null
                        ? Uni.createFrom().item(held.get())
                        : Uni.createFrom().failure(notFound))
                .invoke(held::set);
    }

    /**
     * Drops what is kept for the orchestrator with this name, and under any older name of the same id (a rename),
     * here and in the cluster layer.
     */
    public void forget(String orchestrator, UUID id) {
        Set<String> names = new HashSet<>();
        names.add(orchestrator);
        entries.forEach((name, entry) -> {
            if (id != null && id.equals(entry.id().get())) {
                names.add(name);
            }
        });
        for (String name : names) {
            entries.remove(name);
            cluster.forget(name);
        }
        LOG.debugf("forgot the connection material of orchestrator(s) %s", names);
    }

    private Entry newEntry(String name, Instant now) {
        AtomicReference<UUID> id = new AtomicReference<>();
        Uni<ClusterConnection> connection = registry.connection(name)
                .onFailure()
                .transform(failure -> translate(name, failure))
                .invoke(found -> id.set(found.id()))
                .memoize()
                .indefinitely();
        return new Entry(connection, now.plus(ttl), id);
    }

    private static Throwable translate(String name, Throwable failure) {
        if (failure instanceof WebApplicationException web
                && web.getResponse() != null
                && web.getResponse().getStatus() == 404) {
            return new OrchestratorNotFoundException(name);
        }
        String why = failure instanceof WebApplicationException web && web.getResponse() != null
                ? "the registry answered " + web.getResponse().getStatus()
                : "the registry is unreachable";
        return new RegistryUnavailableException(
                "cannot get the connection of orchestrator '" + name + "': " + why, failure);
    }
}
