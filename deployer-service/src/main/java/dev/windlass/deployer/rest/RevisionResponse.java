package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.service.QueryService.RevisionDetails;
import dev.windlass.events.Actor;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.spec.AppSpec;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One numbered revision of an app: its spec (secret values masked), who asked, and how it went. */
@Schema(name = "Revision")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RevisionResponse(
        int revision,
        UUID deploymentId,
        DeploymentAction action,
        Integer rolledBackFrom,
        AppSpec spec,
        Actor requestedBy,
        Instant createdAt,

        @Schema(description = "The phase of the deployment that made this revision")
        DeploymentState outcome,

        String message) {

    static RevisionResponse from(RevisionDetails details) {
        var r = details.revision();
        var d = details.deployment();
        return new RevisionResponse(
                r.number,
                r.deploymentId,
                d == null ? null : d.action,
                r.rolledBackFrom,
                details.spec(),
                new Actor(r.requestedBySubject, r.requestedByUsername),
                r.createdAt,
                d == null ? null : d.phase,
                d == null ? null : d.message);
    }
}
