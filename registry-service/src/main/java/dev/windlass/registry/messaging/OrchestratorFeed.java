package dev.windlass.registry.messaging;

import dev.windlass.events.orchestrator.OrchestratorChange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Hears of every orchestrator change the moment it commits, on every replica. The transaction that writes a change's
 * outbox row also sends a PostgreSQL notification on {@value #CHANNEL}, which PostgreSQL delivers at commit (never for
 * a rolled-back change) to every listening connection; each replica keeps one connection of its pool listening. On a
 * notification the outbox relay runs a pass at once (its scheduled pass stays, as the fallback), so the event reaches
 * Kafka — and the deployers' connection caches — in milliseconds rather than at the next poll; and the change is
 * passed to this replica's open change streams ({@code GET /api/orchestrators/changes}).
 *
 * <p>A listening connection that is lost is opened again a second later; its subscribers then get a {@code RESYNC}
 * (changes may have been missed: read the list again), as every new subscriber does first.
 */
@ApplicationScoped
public class OrchestratorFeed {

    /** The notification channel of committed orchestrator changes; the payload is {@code <id> <change>}. */
    public static final String CHANNEL = "windlass_orchestrator_changes";

    /** The change a subscriber gets first, and after the feed may have missed changes: read the list again. */
    public static final String RESYNC = "RESYNC";

    private static final Logger LOG = Logger.getLogger(OrchestratorFeed.class);
    private static final long RELISTEN_AFTER_MS = 1000;

    /**
     * One committed change: which orchestrator and what happened to it ({@link OrchestratorChange}'s names), or
     * {@value #RESYNC} with no orchestrator.
     */
    @RegisterForReflection
    public record Change(UUID orchestratorId, String change, Instant at) {

        static Change resync() {
            return new Change(null, RESYNC, Instant.now());
        }
    }

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxRelay relay;
    private final BroadcastProcessor<Change> changes = BroadcastProcessor.create();
    private volatile PgConnection listening;
    private volatile boolean stopped;
    private volatile boolean lost;

    public OrchestratorFeed(Pool pool, Vertx vertx, OutboxRelay relay) {
        this.pool = pool;
        this.vertx = vertx;
        this.relay = relay;
    }

    /** The payload of the notification for a change of orchestrator {@code id}. */
    static String payload(UUID id, OrchestratorChange change) {
        return id + " " + change.name();
    }

    /**
     * The changes committed from now on, after a first {@code RESYNC}; a subscriber that falls behind keeps the
     * latest. Completes when the service stops.
     */
    public Multi<Change> changes() {
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().item(Change.resync()), changes)
                .onOverflow()
                .dropPreviousItems();
    }

    /** Whether this replica listens now. */
    public boolean listening() {
        return listening != null;
    }

    void start(@Observes StartupEvent event) {
        listen();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        PgConnection connection = listening;
        listening = null;
        if (connection != null) {
            connection.close();
        }
        changes.onComplete();
    }

    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().onComplete(got -> {
            if (got.failed()) {
                relistenLater(got.cause().getMessage());
                return;
            }
            PgConnection connection = PgConnection.cast(got.result());
            connection.notificationHandler(notification -> heard(notification.getPayload()));
            connection.closeHandler(closed -> {
                if (listening == connection) {
                    listening = null;
                    relistenLater("the connection closed");
                }
            });
            connection.query("LISTEN " + CHANNEL).execute().onComplete(listened -> {
                if (listened.failed()) {
                    connection.close();
                    relistenLater(listened.cause().getMessage());
                    return;
                }
                listening = connection;
                if (stopped) {
                    connection.close();
                    return;
                }
                if (lost) {
                    lost = false;
                    LOG.infof("listening for orchestrator changes again");
                    changes.onNext(Change.resync());
                    relay.nudge();
                }
            });
        });
    }

    private void relistenLater(String why) {
        if (stopped) {
            return;
        }
        if (!lost) {
            LOG.warnf(
                    "not listening for orchestrator changes (%s): trying again every second; the outbox relay"
                            + " publishes on its schedule meanwhile",
                    why);
        }
        lost = true;
        vertx.setTimer(RELISTEN_AFTER_MS, ignored -> listen());
    }

    private void heard(String payload) {
        relay.nudge();
        String[] parts = payload == null ? new String[0] : payload.split(" ", 2);
        try {
            changes.onNext(new Change(UUID.fromString(parts[0]), parts[1], Instant.now()));
        } catch (RuntimeException e) {
            LOG.debugf("ignored a notification on %s that is not a change: %s", CHANNEL, payload);
        }
    }
}
