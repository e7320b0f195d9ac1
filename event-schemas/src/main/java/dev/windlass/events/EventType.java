package dev.windlass.events;

import dev.windlass.events.app.AppHealthChanged;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One published event type: its CloudEvents {@code type}, topic, payload record, JSON Schema, and how a
 * payload yields its Kafka key and event time.
 */
public final class EventType<T> {

    /** {@code dev.windlass.deployment.requested.v1} on {@link Topics#DEPLOY_REQUESTS}. */
    public static final EventType<DeploymentRequested> DEPLOYMENT_REQUESTED = new EventType<>(
            "dev.windlass.deployment.requested.v1",
            Topics.DEPLOY_REQUESTS,
            DeploymentRequested.class,
            "schemas/deployment-requested.v1.json",
            e -> EventKeys.deployment(e.orchestrator(), e.namespace(), e.app()),
            DeploymentRequested::requestedAt);

    /** {@code dev.windlass.deployment.status.v1} on {@link Topics#DEPLOY_STATUS}. */
    public static final EventType<DeploymentStatusChanged> DEPLOYMENT_STATUS = new EventType<>(
            "dev.windlass.deployment.status.v1",
            Topics.DEPLOY_STATUS,
            DeploymentStatusChanged.class,
            "schemas/deployment-status.v1.json",
            e -> EventKeys.deployment(e.orchestrator(), e.namespace(), e.app()),
            DeploymentStatusChanged::occurredAt);

    /** {@code dev.windlass.orchestrator.changed.v1} on {@link Topics#ORCHESTRATOR_EVENTS}. */
    public static final EventType<OrchestratorChanged> ORCHESTRATOR_CHANGED = new EventType<>(
            "dev.windlass.orchestrator.changed.v1",
            Topics.ORCHESTRATOR_EVENTS,
            OrchestratorChanged.class,
            "schemas/orchestrator-changed.v1.json",
            e -> EventKeys.orchestrator(e.orchestratorId()),
            OrchestratorChanged::occurredAt);

    /**
     * {@code dev.windlass.app.health.v1} on {@link Topics#APP_HEALTH}, keyed by the app on the orchestrator's id (its
     * name for an app deployed before ids were kept).
     */
    public static final EventType<AppHealthChanged> APP_HEALTH_CHANGED = new EventType<>(
            "dev.windlass.app.health.v1",
            Topics.APP_HEALTH,
            AppHealthChanged.class,
            "schemas/app-health.v1.json",
            e -> EventKeys.deployment(
                    e.orchestratorId() != null ? e.orchestratorId().toString() : e.orchestrator(),
                    e.namespace(),
                    e.app()),
            AppHealthChanged::occurredAt);

    private static final List<EventType<?>> ALL =
            List.of(DEPLOYMENT_REQUESTED, DEPLOYMENT_STATUS, ORCHESTRATOR_CHANGED, APP_HEALTH_CHANGED);

    private final String name;
    private final String topic;
    private final Class<T> payloadType;
    private final String schemaResource;
    private final Function<T, String> keyOf;
    private final Function<T, Instant> timeOf;

    private EventType(
            String name,
            String topic,
            Class<T> payloadType,
            String schemaResource,
            Function<T, String> keyOf,
            Function<T, Instant> timeOf) {
        this.name = name;
        this.topic = topic;
        this.payloadType = payloadType;
        this.schemaResource = schemaResource;
        this.keyOf = keyOf;
        this.timeOf = timeOf;
    }

    /** Every published type. */
    public static List<EventType<?>> all() {
        return ALL;
    }

    /** The type with this CloudEvents {@code type} name, if published. */
    public static Optional<EventType<?>> byName(String name) {
        return ALL.stream().filter(type -> type.name.equals(name)).findFirst();
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code dev.windlass.deployment.requested.v1}. */
    public String name() {
        return name;
    }

    /** The Kafka topic events of this type are published on. */
    public String topic() {
        return topic;
    }

    /** The record the {@code data} maps to. */
    public Class<T> payloadType() {
        return payloadType;
    }

    /** Class-path location of the JSON Schema for {@code data}, e.g. {@code schemas/deployment-requested.v1.json}. */
    public String schemaResource() {
        return schemaResource;
    }

    /** The Kafka key (and CloudEvents {@code subject}) of a payload. */
    public String keyOf(T payload) {
        return keyOf.apply(payload);
    }

    /** The moment a payload describes, used as CloudEvents {@code time}. */
    public Instant timeOf(T payload) {
        return timeOf.apply(payload);
    }

    @Override
    public String toString() {
        return name;
    }
}
