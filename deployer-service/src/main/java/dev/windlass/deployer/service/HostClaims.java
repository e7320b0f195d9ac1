package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who holds which Ingress host on an orchestrator. A host, with every path under it, belongs to one app: another app
 * asking for it is refused naming the holder (Traefik would otherwise route a longer path of it, say {@code
 * /console} of Windlass's own host, to the newcomer, with a valid certificate). The hosts of
 * {@code windlass.deployer.hosts.reserved} (Windlass's and the identity provider's public hosts) belong to no app.
 * Runs inside the caller's transaction.
 */
@ApplicationScoped
public class HostClaims {

    private final Set<String> reserved;

    public HostClaims(DeployerConfig config) {
        this.reserved = config.hosts().reserved().orElse(List.of()).stream()
                .map(HostClaims::normal)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Fails with {@link HostClaimedException} unless the app may have the host (read only: the API's early check). */
    public Uni<Void> requireAvailable(AppRef app, String host) {
        if (host == null) {
            return Uni.createFrom().voidItem();
        }
        String h = normal(host);
        if (reserved.contains(h)) {
            return Uni.createFrom().failure(new HostClaimedException(h, "reserved for Windlass"));
        }
        return holder(app, h)
                .invoke(holder -> {
                    if (holder != null && !holder.equals(app.namespace() + "/" + app.app())) {
                        throw new HostClaimedException(h, "held by app " + holder);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Claims the host for the app (or keeps its claim) and releases the other hosts the app held; {@code host} null
     * releases every host of the app. Fails with {@link HostClaimedException} when another app holds it.
     */
    public Uni<Void> claim(AppRef app, String host) {
        Uni<Void> release = release(app, host == null ? null : normal(host));
        if (host == null) {
            return release;
        }
        String h = normal(host);
        return requireAvailable(app, h)
                .chain(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery("insert into host_claims"
                                        + " (orchestrator, orchestrator_id, host, namespace, app, claimed_at)"
                                        + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing")
                                .setParameter(
                                        1, app.orchestrator() != null ? app.orchestrator() : app.orchestratorRef())
                                .setParameter(2, app.orchestratorId())
                                .setParameter(3, h)
                                .setParameter(4, app.namespace())
                                .setParameter(5, app.app())
                                .setParameter(6, Instant.now())
                                .executeUpdate()))
                // a concurrent claim may have won the insert: look again
                .chain(() -> requireAvailable(app, h))
                .chain(() -> release);
    }

    /** Releases the hosts the app holds but {@code keep}; every host when {@code keep} is null. */
    public Uni<Void> release(AppRef app, String keep) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("delete from host_claims where " + orchestrator(app)
                                + " and namespace = ?3 and app = ?4 and host <> ?5")
                        .setParameter(1, app.orchestratorId())
                        .setParameter(2, app.orchestrator())
                        .setParameter(3, app.namespace())
                        .setParameter(4, app.app())
                        .setParameter(5, keep == null ? "" : keep)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<String> holder(AppRef app, String host) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select namespace || '/' || app from host_claims where " + orchestrator(app)
                                        + " and host = ?3",
                                String.class)
                        .setParameter(1, app.orchestratorId())
                        .setParameter(2, app.orchestrator())
                        .setParameter(3, host)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /**
     * The claims of the app's orchestrator, parameters 1 (id) and 2 (name): by id, and by name for claims older than
     * the id. The casts let either parameter be null.
     */
    private static String orchestrator(AppRef app) {
        return "(orchestrator_id = cast(?1 as uuid) or (orchestrator_id is null and orchestrator = cast(?2 as text)))";
    }

    /** Host names compare without case and without a trailing dot. */
    static String normal(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
