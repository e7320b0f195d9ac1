package dev.windlass.registry.messaging;

import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.orchestrator.OrchestratorChange;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.domain.OutboxEvent;
import dev.windlass.registry.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Announces orchestrator changes by writing an outbox row in the caller's transaction ({@code tx}, its connection): the event exists exactly when
 * the change was committed. {@link OutboxRelay} publishes it; the same transaction notifies {@link OrchestratorFeed},
 * which hears of the change when it commits.
 */
@ApplicationScoped
public class OrchestratorEvents {

    private final OutboxRepository outbox;

    public OrchestratorEvents(OutboxRepository outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> created(SqlClient tx, Orchestrator o, Actor actor) {
        return append(tx, OrchestratorChange.CREATED, o, o.getConnection(), actor, List.of());
    }

    /** {@code formerGroups}: the groups that saw it before the change, told of it too. */
    public Uni<Void> updated(SqlClient tx, Orchestrator o, Actor actor, List<String> formerGroups) {
        return append(tx, OrchestratorChange.UPDATED, o, o.getConnection(), actor, formerGroups);
    }

    public Uni<Void> deleted(SqlClient tx, Orchestrator o, Actor actor) {
        return append(tx, OrchestratorChange.DELETED, o, o.getConnection(), actor, List.of());
    }

    public Uni<Void> connectionChanged(SqlClient tx, Orchestrator o, ConnectionCheck check, Actor actor) {
        return append(tx, OrchestratorChange.CONNECTION_CHANGED, o, check, actor, List.of());
    }

    private Uni<Void> append(
            SqlClient tx,
            OrchestratorChange change,
            Orchestrator o,
            ConnectionCheck check,
            Actor actor,
            List<String> formerGroups) {
        OrchestratorChanged data = OrchestratorEventMapper.toSchema(change, o, check, actor, Instant.now());
        EventEnvelope<OrchestratorChanged> envelope = EventEnvelope.of(
                EventType.ORCHESTRATOR_CHANGED, UUID.randomUUID(), CloudEventHeaders.SOURCE_REGISTRY, data);
        return outbox.insert(
                        tx,
                        new OutboxEvent(
                                envelope.id(),
                                envelope.type().name(),
                                envelope.topic(),
                                envelope.key(),
                                new String(envelope.payload(), StandardCharsets.UTF_8),
                                envelope.time()))
                .chain(() -> outbox.notifyAtCommit(
                        tx,
                        OrchestratorFeed.CHANNEL,
                        OrchestratorFeed.payload(
                                o.getId(),
                                change,
                                Stream.concat(formerGroups.stream(), o.getAllowedGroups().stream())
                                        .toList())));
    }
}
