package dev.windlass.registry.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * One app an orchestrator still has, as the deployer reports it: the app and its latest deployment (action {@code
 * APPLY}, {@code ROLLBACK} or {@code DELETE}; phase as the deployer names it).
 */
@RegisterForReflection
public record OrchestratorApp(
        String namespace, String app, UUID deploymentId, String action, String phase, String message) {

    /** {@code namespace/app}. */
    public String path() {
        return namespace + "/" + app;
    }

    /** Whether this is an undeploy that failed: the deletion waiting for it stops. */
    public boolean undeployFailed() {
        return "DELETE".equals(action) && "FAILED".equals(phase);
    }
}
