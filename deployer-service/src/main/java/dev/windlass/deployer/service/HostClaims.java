package dev.windlass.deployer.service;

import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who holds which Ingress host on an orchestrator. A host, with every path under it, belongs to one app: another app
 * asking for it is refused naming the holder (Traefik would otherwise route a longer path of it, say {@code
 * /console} of Windlass's own host, to the newcomer, with a valid certificate). The hosts of
 * {@code windlass.deployer.hosts.reserved} (Windlass's and the identity provider's public hosts) belong to no app.
 * Claims and releases run inside the caller's transaction.
 */
@ApplicationScoped
public class HostClaims {

    private final Set<String> reserved;
    private final Pool pool;

    public HostClaims(DeployerConfig config, Pool pool) {
        this.pool = pool;
        this.reserved = config.hosts().reserved().orElse(List.of()).stream()
                .map(HostClaims::normal)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Fails with {@link HostClaimedException} unless the app may have the host: read only, outside any transaction (the
     * API's early answer).
     */
    public Uni<Void> requireAvailable(AppRef app, String host) {
        return requireAvailable(pool, app, host);
    }

    /**
     * Claims the host for the app (or keeps its claim) and releases the other hosts the app held; {@code host} null
     * releases every host of the app. Fails with {@link HostClaimedException} when another app holds it. Inside the
     * caller's transaction, on {@code connection}.
     */
    public Uni<Void> claim(SqlConnection connection, AppRef app, String host) {
        Uni<Void> release = release(connection, app, host == null ? null : normal(host));
        if (host == null) {
            return release;
        }
        String h = normal(host);
        return requireAvailable(connection, app, h)
                .chain(() -> connection
                        .preparedQuery("insert into host_claims (orchestrator, orchestrator_id, host, namespace, app,"
                                + " claimed_at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing")
                        .execute(Tuple.tuple(Arrays.asList(
                                app.orchestrator() != null ? app.orchestrator() : app.orchestratorRef(),
                                app.orchestratorId(),
                                h,
                                app.namespace(),
                                app.app(),
                                Sql.timestamp(Instant.now())))))
                // a concurrent claim may have won the insert: look again
                .chain(() -> requireAvailable(connection, app, h))
                .chain(() -> release);
    }

    /** Releases the hosts the app holds but {@code keep}; every host when {@code keep} is null. */
    public Uni<Void> release(SqlConnection connection, AppRef app, String keep) {
        return connection
                .preparedQuery("delete from host_claims where " + GuardedMoves.OF_APP + " and host <> $5")
                .execute(Tuple.tuple(Arrays.asList(
                        app.orchestratorId(),
                        app.orchestrator(),
                        app.namespace(),
                        app.app(),
                        keep == null ? "" : keep)))
                .replaceWithVoid();
    }

    private Uni<Void> requireAvailable(SqlClient client, AppRef app, String host) {
        if (host == null) {
            return Uni.createFrom().voidItem();
        }
        String h = normal(host);
        if (reserved.contains(h)) {
            return Uni.createFrom().failure(new HostClaimedException(h, "reserved for Windlass"));
        }
        return client.preparedQuery("select namespace || '/' || app from host_claims where "
                        + GuardedMoves.OF_ORCHESTRATOR + " and host = $3")
                .execute(Tuple.tuple(Arrays.asList(app.orchestratorId(), app.orchestrator(), h)))
                .invoke(rows -> {
                    String holder =
                            rows.size() == 0 ? null : rows.iterator().next().getString(0);
                    if (holder != null && !holder.equals(app.namespace() + "/" + app.app())) {
                        throw new HostClaimedException(h, "held by app " + holder);
                    }
                })
                .replaceWithVoid();
    }

    /** Host names compare without case and without a trailing dot. */
    static String normal(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
