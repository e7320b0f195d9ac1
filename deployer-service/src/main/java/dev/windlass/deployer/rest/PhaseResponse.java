package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.domain.PhaseEntry;
import dev.windlass.deployer.service.PhaseLog;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One step of a deployment's phase history. */
@Schema(name = "Phase")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhaseResponse(
        DeploymentPhase phase, String message, Integer revision, List<ObjectRef> objects, Instant occurredAt) {

    static PhaseResponse from(PhaseEntry e) {
        return new PhaseResponse(e.phase, e.message, e.revision, PhaseLog.objects(e), e.occurredAt);
    }
}
