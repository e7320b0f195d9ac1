package dev.windlass.events;

/**
 * Reactive Messaging channel names for {@code @Incoming}/{@code @Outgoing}; each maps to one topic in
 * configuration, e.g. {@code mp.messaging.incoming.deploy-requests-in.topic=windlass.deploy.requests.v1}.
 */
public final class Channels {

    /** Consumes {@link Topics#DEPLOY_REQUESTS}. */
    public static final String DEPLOY_REQUESTS_IN = "deploy-requests-in";

    /** Produces to {@link Topics#DEPLOY_REQUESTS} (outbox relay). */
    public static final String DEPLOY_REQUESTS_OUT = "deploy-requests-out";

    /** Produces to {@link Topics#DEPLOY_REQUESTS_DLQ}. */
    public static final String DEPLOY_REQUESTS_DLQ_OUT = "deploy-requests-dlq-out";

    /** Consumes {@link Topics#DEPLOY_STATUS}. */
    public static final String DEPLOY_STATUS_IN = "deploy-status-in";

    /** Produces to {@link Topics#DEPLOY_STATUS}. */
    public static final String DEPLOY_STATUS_OUT = "deploy-status-out";

    /** Consumes {@link Topics#ORCHESTRATOR_EVENTS}. */
    public static final String ORCHESTRATOR_EVENTS_IN = "orchestrator-events-in";

    /** Produces to {@link Topics#ORCHESTRATOR_EVENTS} (outbox relay). */
    public static final String ORCHESTRATOR_EVENTS_OUT = "orchestrator-events-out";

    /** Produces to {@link Topics#APP_HEALTH} (outbox relay). */
    public static final String APP_HEALTH_OUT = "app-health-out";

    private Channels() {}
}
