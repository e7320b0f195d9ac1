package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.service.QueryService.DeploymentDetails;
import dev.windlass.events.Actor;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.spec.AppSpec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A deployment; with its spec (secret values masked) and phase history when read on its own. */
@Schema(name = "Deployment")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentResponse(
        UUID id,

        @Schema(description = "The orchestrator's name when the deployment was asked for")
        String orchestrator,

        @Schema(
                description =
                        "The orchestrator's id, which stays when it is renamed; absent on deployments older than it")
        UUID orchestratorId,

        String namespace,
        String app,
        DeploymentAction action,

        @Schema(description = "PENDING until the request is consumed, then the latest phase")
        DeploymentState phase,

        String message,
        Integer revision,
        Integer targetRevision,

        @Schema(description = "UPDATE_IMAGE only: the image the app's newest revision was applied again with")
        String image,

        @Schema(
                description = "Why Windlass made the request on its own: the image update policy that took a pushed"
                        + " image, say; absent for requests people and pipelines make")
        String reason,

        Actor requestedBy,
        Instant requestedAt,
        Instant updatedAt,
        AppSpec spec,
        List<PhaseResponse> phases) {

    static DeploymentResponse summary(Deployment d) {
        return of(d, null, null);
    }

    static DeploymentResponse details(DeploymentDetails details) {
        return of(
                details.deployment(),
                details.spec(),
                details.phases().stream().map(PhaseResponse::from).toList());
    }

    private static DeploymentResponse of(Deployment d, AppSpec spec, List<PhaseResponse> phases) {
        return new DeploymentResponse(
                d.id,
                d.orchestrator,
                d.orchestratorId,
                d.namespace,
                d.app,
                d.action,
                d.phase,
                d.message,
                d.revision,
                d.targetRevision,
                d.image,
                d.reason,
                new Actor(d.requestedBySubject, d.requestedByUsername),
                d.requestedAt,
                d.updatedAt,
                spec,
                phases);
    }
}
