package dev.windlass.events;

/** Kafka topic names. A breaking payload change gets a new {@code .vN} topic, never an edit of these. */
public final class Topics {

    /** Deployment requests ({@link EventType#DEPLOYMENT_REQUESTED}), keyed by {@link EventKeys#deployment}. */
    public static final String DEPLOY_REQUESTS = "windlass.deploy.requests.v1";

    /** Deployment status changes ({@link EventType#DEPLOYMENT_STATUS}), keyed like the requests. */
    public static final String DEPLOY_STATUS = "windlass.deploy.status.v1";

    /** Orchestrator lifecycle and connection changes, keyed by {@link EventKeys#orchestrator}. */
    public static final String ORCHESTRATOR_EVENTS = "windlass.orchestrator.events.v1";

    /**
     * Health changes of deployed apps ({@link EventType#APP_HEALTH_CHANGED}), keyed by the app like deploy requests
     * but on the orchestrator's id.
     */
    public static final String APP_HEALTH = "windlass.app.health.v1";

    /** Deploy requests that can never succeed, with the reason attached (see {@link DeadLetter}). */
    public static final String DEPLOY_REQUESTS_DLQ = "windlass.deploy.requests.dlq.v1";

    /** Every Windlass topic, for whoever creates them (a broker that does not create topics on first use). */
    public static final java.util.List<String> ALL =
            java.util.List.of(DEPLOY_REQUESTS, DEPLOY_STATUS, DEPLOY_REQUESTS_DLQ, ORCHESTRATOR_EVENTS, APP_HEALTH);

    private Topics() {}
}
