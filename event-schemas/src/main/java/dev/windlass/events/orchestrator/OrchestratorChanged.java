package dev.windlass.events.orchestrator;

import dev.windlass.events.Actor;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * An orchestrator was created, updated, deleted, or its connection status changed.
 *
 * <p>Carries no credential of any kind: no token, certificate, key or API server secret. {@code connection}
 * is present for {@link OrchestratorChange#CONNECTION_CHANGED} and whenever a status is known.
 */
@RegisterForReflection
public record OrchestratorChanged(
        @Required OrchestratorChange change,
        @Required UUID orchestratorId,
        @Required String name,
        @Required OrchestratorType type,
        @Required OrchestratorEnvironment environment,
        ConnectionState connection,
        @Required Instant occurredAt,
        @Required Actor actor) {}
