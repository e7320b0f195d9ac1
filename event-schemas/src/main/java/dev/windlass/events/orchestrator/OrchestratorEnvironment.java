package dev.windlass.events.orchestrator;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The environment an orchestrator serves. */
@RegisterForReflection
public enum OrchestratorEnvironment {
    DEV,
    STAGING,
    PROD
}
