package dev.windlass.events.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.windlass.events.ImmutableCopies;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deployment moved to a new phase. {@code orchestrator} is the orchestrator's name when the deployment was asked
 * for, {@code orchestratorId} its id, which stays when it is renamed (absent in events of deployers older than the
 * field). {@code revision} is absent until one is assigned; {@code objects} lists the Kubernetes objects the step
 * created, changed or pruned (never null, absent means none).
 */
@RegisterForReflection
public record DeploymentStatusChanged(
        @Required UUID deploymentId,
        @Required String orchestrator,
        @Required String namespace,
        @Required String app,
        @Required DeploymentPhase phase,
        @Required String message,
        Integer revision,
        @JsonInclude(Include.NON_EMPTY) List<ObjectRef> objects,
        @Required Instant occurredAt,
        @JsonInclude(Include.NON_NULL) UUID orchestratorId) {

    public DeploymentStatusChanged {
        objects = ImmutableCopies.list(objects);
    }

    /** An event without the orchestrator's id, as deployers older than the field wrote them. */
    public DeploymentStatusChanged(
            UUID deploymentId,
            String orchestrator,
            String namespace,
            String app,
            DeploymentPhase phase,
            String message,
            Integer revision,
            List<ObjectRef> objects,
            Instant occurredAt) {
        this(deploymentId, orchestrator, namespace, app, phase, message, revision, objects, occurredAt, null);
    }
}
