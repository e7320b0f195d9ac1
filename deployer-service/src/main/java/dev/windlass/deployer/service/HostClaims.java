package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
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
    public Uni<Void> requireAvailable(String orchestrator, String namespace, String app, String host) {
        if (host == null) {
            return Uni.createFrom().voidItem();
        }
        String h = normal(host);
        if (reserved.contains(h)) {
            return Uni.createFrom().failure(new HostClaimedException(h, "reserved for Windlass"));
        }
        return holder(orchestrator, h)
                .invoke(holder -> {
                    if (holder != null && !holder.equals(namespace + "/" + app)) {
                        throw new HostClaimedException(h, "held by app " + holder);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Claims the host for the app (or keeps its claim) and releases the other hosts the app held; {@code host} null
     * releases every host of the app. Fails with {@link HostClaimedException} when another app holds it.
     */
    public Uni<Void> claim(String orchestrator, String namespace, String app, String host) {
        Uni<Void> release = release(orchestrator, namespace, app, host == null ? null : normal(host));
        if (host == null) {
            return release;
        }
        String h = normal(host);
        return requireAvailable(orchestrator, namespace, app, h)
                .chain(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery("insert into host_claims"
                                        + " (orchestrator, host, namespace, app, claimed_at)"
                                        + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                                .setParameter(1, orchestrator)
                                .setParameter(2, h)
                                .setParameter(3, namespace)
                                .setParameter(4, app)
                                .setParameter(5, Instant.now())
                                .executeUpdate()))
                // a concurrent claim may have won the insert: look again
                .chain(() -> requireAvailable(orchestrator, namespace, app, h))
                .chain(() -> release);
    }

    /** Releases the hosts the app holds but {@code keep}; every host when {@code keep} is null. */
    public Uni<Void> release(String orchestrator, String namespace, String app, String keep) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("delete from host_claims where orchestrator = ?1"
                                + " and namespace = ?2 and app = ?3 and host <> ?4")
                        .setParameter(1, orchestrator)
                        .setParameter(2, namespace)
                        .setParameter(3, app)
                        .setParameter(4, keep == null ? "" : keep)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<String> holder(String orchestrator, String host) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select namespace || '/' || app from host_claims where orchestrator = ?1 and host = ?2",
                                String.class)
                        .setParameter(1, orchestrator)
                        .setParameter(2, host)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Host names compare without case and without a trailing dot. */
    static String normal(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
