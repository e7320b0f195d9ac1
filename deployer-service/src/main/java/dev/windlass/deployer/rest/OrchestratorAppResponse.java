package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.events.deployment.DeploymentAction;
import java.util.UUID;

/** One app an orchestrator still has, with its latest deployment, as the registry reads it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrchestratorAppResponse(
        String namespace,
        String app,
        UUID deploymentId,
        DeploymentAction action,
        DeploymentState phase,
        String message) {

    static OrchestratorAppResponse of(Deployment latest) {
        return new OrchestratorAppResponse(
                latest.namespace, latest.app, latest.id, latest.action, latest.phase, latest.message);
    }
}
