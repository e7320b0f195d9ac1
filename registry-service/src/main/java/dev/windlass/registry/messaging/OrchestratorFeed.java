package dev.windlass.registry.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.access.Destinations;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

    /**
     * The notification channel of committed orchestrator changes; the payload is a {@link Notice} as JSON: which
     * orchestrator, what happened, and the groups that see it (so that each stream sends only what its caller may
     * read).
     */
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

    /**
     * What a notification carries: the change, and the groups that see the orchestrator (before and after it); null
     * groups when they would not fit in a notification ({@value #MAX_PAYLOAD} bytes here, PostgreSQL takes 8000).
     */
    @RegisterForReflection
    record Notice(UUID orchestratorId, String change, List<String> groups) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The longest payload sent with its groups. */
    static final int MAX_PAYLOAD = 7000;

    private final Pool pool;
    private final Vertx vertx;
    private final OutboxRelay relay;
    private final BroadcastProcessor<Notice> changes = BroadcastProcessor.create();
    private volatile PgConnection listening;
    private volatile boolean stopped;
    private volatile boolean lost;

    public OrchestratorFeed(Pool pool, Vertx vertx, OutboxRelay relay) {
        this.pool = pool;
        this.vertx = vertx;
        this.relay = relay;
    }

    /**
     * The payload of the notification for a change of orchestrator {@code id}, which {@code groups} see (before and
     * after the change: a change that takes it away from a group reaches that group's streams too).
     */
    static String payload(UUID id, OrchestratorChange change, Collection<String> groups) {
        try {
            String payload =
                    JSON.writeValueAsString(new Notice(id, change.name(), List.copyOf(new LinkedHashSet<>(groups))));
            return payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD
                    ? payload
                    : JSON.writeValueAsString(new Notice(id, change.name(), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The changes committed from now on of the orchestrators a caller with {@code visibleTo} sees (its groups; null
     * for an admin, who sees all), after a first {@code RESYNC}; a subscriber that falls behind keeps the latest.
     * A change whose groups did not fit in its notification reaches a non-admin as a {@code RESYNC}. Completes when
     * the service stops.
     */
    public Multi<Change> changes(Set<String> visibleTo) {
        Multi<Change> seen = changes.filter(notice -> visibleTo == null
                        || notice.orchestratorId() == null
                        || notice.groups() == null
                        || Destinations.visible(notice.groups(), visibleTo))
                .map(notice -> notice.orchestratorId() == null || (visibleTo != null && notice.groups() == null)
                        ? Change.resync()
                        : new Change(notice.orchestratorId(), notice.change(), Instant.now()));
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().item(Change.resync()), seen)
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
                    changes.onNext(new Notice(null, RESYNC, List.of()));
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
        Notice notice;
        try {
            notice = JSON.readValue(payload, Notice.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.debugf("ignored a notification on %s that is not a change: %s", CHANNEL, payload);
            return;
        }
        if (notice.orchestratorId() != null && notice.change() != null) {
            changes.onNext(notice);
        }
    }
}
