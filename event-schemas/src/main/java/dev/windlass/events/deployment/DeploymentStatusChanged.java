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
 * A deployment moved to a new phase. {@code revision} is absent until one is assigned; {@code objects} lists
 * the Kubernetes objects the step created, changed or pruned (never null, absent means none).
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
        @Required Instant occurredAt) {

    public DeploymentStatusChanged {
        objects = ImmutableCopies.list(objects);
    }
}
