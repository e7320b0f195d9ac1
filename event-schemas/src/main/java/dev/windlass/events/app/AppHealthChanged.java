package dev.windlass.events.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * A deployed app's health changed on its cluster, at any time after its rollout too: a Pod started crash-looping, a
 * Deployment was scaled to zero by hand, a LoadBalancer got its address. {@code health} is the worst of its live
 * objects' (see docs/api.md, "App status"), {@code message} names the first object in that state (absent when
 * Healthy), {@code previousHealth} the health published before (absent for the app's first assessment).
 * {@code orchestrator} is the orchestrator's name, {@code orchestratorId} its id (absent only for apps deployed
 * before ids were kept).
 */
@RegisterForReflection
public record AppHealthChanged(
        @Required String orchestrator,
        @JsonInclude(Include.NON_NULL) UUID orchestratorId,
        @Required String namespace,
        @Required String app,
        @Required Integer revision,
        @Required HealthStatus health,
        @JsonInclude(Include.NON_NULL) HealthStatus previousHealth,
        @JsonInclude(Include.NON_NULL) String message,
        @Required Instant occurredAt) {}
