package dev.windlass.registry.messaging;

import dev.windlass.events.Actor;
import dev.windlass.events.orchestrator.ConnectionState;
import dev.windlass.events.orchestrator.ConnectionStatus;
import dev.windlass.events.orchestrator.OrchestratorChange;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import dev.windlass.events.orchestrator.OrchestratorEnvironment;
import dev.windlass.events.orchestrator.OrchestratorType;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.Orchestrator;
import java.time.Instant;

/** The one place an orchestrator becomes an {@link OrchestratorChanged} event. It has no credential to copy. */
public final class OrchestratorEventMapper {

    private OrchestratorEventMapper() {}

    /** The event for {@code change} of {@code o}; {@code check} is the connection state to report (may be null). */
    public static OrchestratorChanged toSchema(
            OrchestratorChange change,
            Orchestrator o,
            ConnectionCheck check,
            dev.windlass.registry.domain.Actor actor,
            Instant occurredAt) {
        return new OrchestratorChanged(
                change,
                o.getId(),
                o.getName(),
                OrchestratorType.valueOf(o.getType().name()),
                OrchestratorEnvironment.valueOf(o.getEnvironment().name()),
                connection(change, check),
                occurredAt,
                new Actor(actor.subject(), actor.username()));
    }

    private static ConnectionState connection(OrchestratorChange change, ConnectionCheck check) {
        boolean known = check != null && check.status() != dev.windlass.registry.domain.ConnectionStatus.UNKNOWN;
        if (!known && change != OrchestratorChange.CONNECTION_CHANGED) {
            return null;
        }
        return new ConnectionState(
                ConnectionStatus.valueOf(check.status().name()),
                check.message(),
                check.serverVersion(),
                check.latencyMillis(),
                check.checkedAt());
    }
}
