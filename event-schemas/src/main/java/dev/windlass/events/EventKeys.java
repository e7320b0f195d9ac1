package dev.windlass.events;

import java.util.Objects;
import java.util.UUID;

/** Kafka record keys: the key decides the partition, so it decides which events stay in order. */
public final class EventKeys {

    private EventKeys() {}

    /**
     * The key of deploy requests and status events, {@code orchestrator/namespace/app}: every event of one
     * application on one cluster lands on one partition, in order.
     */
    public static String deployment(String orchestrator, String namespace, String app) {
        return require(orchestrator, "orchestrator") + "/" + require(namespace, "namespace") + "/"
                + require(app, "app");
    }

    /** The key of orchestrator events: the orchestrator id, stable across renames. */
    public static String orchestrator(UUID orchestratorId) {
        return Objects.requireNonNull(orchestratorId, "orchestratorId").toString();
    }

    private static String require(String part, String name) {
        if (part == null || part.isBlank() || part.contains("/")) {
            throw new IllegalArgumentException(name + " must be non-blank and contain no '/'");
        }
        return part;
    }
}
