package dev.windlass.deployer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.deployer.kubernetes.ClusterEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One entry of {@code GET /api/apps/{orchestrator}/{namespace}/{app}/events}. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterEventResponse(
        String type,
        String reason,
        String message,
        ObjectResponse object,
        int count,
        String firstSeen,
        String lastSeen) {

    /** The object an event is about. */
    @RegisterForReflection
    public record ObjectResponse(String kind, String name) {}

    static ClusterEventResponse from(ClusterEvent event) {
        return new ClusterEventResponse(
                event.type(),
                event.reason(),
                event.message(),
                new ObjectResponse(event.kind(), event.name()),
                event.count(),
                event.firstSeen(),
                event.lastSeen());
    }
}
