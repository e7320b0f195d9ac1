package dev.windlass.deployer.service;

import dev.windlass.deployer.kubernetes.ClusterException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tells a database outage (PostgreSQL restarting or unreachable) from other failures, and retries a state change
 * through one, so that an outcome already reached (objects applied, a rollout finished) is recorded once the
 * database is back instead of being dropped and leaving the deployment unfinished.
 */
public final class DatabaseOutage {

    /**
     * How long one state change is tried again through an outage, whatever the backoff: a restart takes seconds, a
     * failover a minute or two. After that the state change is given up and the recovery sweep takes the deployment
     * up once the database is back.
     */
    static final Duration WINDOW = Duration.ofMinutes(10);

    private DatabaseOutage() {}

    /**
     * Whether {@code failure} comes from the database connection: refused or reset, closed under the client, or
     * the server's connection-class (08) and operator-intervention (57P, shutting down) errors. Failures of a
     * cluster or of the registry are never counted, even when a refused connection caused them.
     */
    public static boolean isCause(Throwable failure) {
        if (failure instanceof ClusterException || failure instanceof RegistryUnavailableException) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** {@code write}, subscribed again with backoff while it fails through a database outage. */
    static <T> Uni<T> retried(Supplier<Uni<T>> write, Duration initialBackoff, Duration maxBackoff) {
        return retried(write, DatabaseOutage::isCause, initialBackoff, maxBackoff);
    }

    /**
     * {@code write}, subscribed again with backoff (for up to {@link #WINDOW} after its first try) while it fails with a
     * failure {@code when} accepts. For a state change whose every failure is the database's: a connection the
     * restart broke surfaces in more shapes than {@link #isCause} knows (a rolled-back transaction, a transaction
     * that could not start), and such a state change must not be dropped either.
     */
    static <T> Uni<T> retried(
            Supplier<Uni<T>> write, Predicate<Throwable> when, Duration initialBackoff, Duration maxBackoff) {
        // deferred, so that the window starts when the state change is first tried, not when it is assembled
        return Uni.createFrom()
                .deferred(() -> Uni.createFrom()
                        .<T>deferred(write::get)
                        .onFailure(when)
                        .retry()
                        .withBackOff(initialBackoff, maxBackoff)
                        .expireIn(WINDOW.toMillis()));
    }
}
