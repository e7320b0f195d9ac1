package dev.windlass.events.orchestrator;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What happened to an orchestrator. */
@RegisterForReflection
public enum OrchestratorChange {
    CREATED,
    UPDATED,
    DELETED,
    /** A connection check produced a different status than the previous one. */
    CONNECTION_CHANGED
}
