package dev.windlass.events.validation;

import dev.windlass.events.Actor;
import dev.windlass.events.EventType;
import java.util.Map;

/** The semantic checks of one payload type, beyond what its JSON Schema can say. */
interface PayloadRules<T> {

    /** Longest actor subject or username. */
    int MAX_ACTOR_LENGTH = 256;

    Map<EventType<?>, PayloadRules<?>> BY_TYPE = Map.of(
            EventType.DEPLOYMENT_REQUESTED, new DeploymentRequestedRules(),
            EventType.DEPLOYMENT_STATUS, new DeploymentStatusRules(),
            EventType.ORCHESTRATOR_CHANGED, new OrchestratorChangedRules(),
            EventType.APP_HEALTH_CHANGED, new AppHealthRules());

    void check(T payload, Checker at);

    @SuppressWarnings("unchecked")
    static <T> PayloadRules<T> of(EventType<T> type) {
        return (PayloadRules<T>) BY_TYPE.get(type);
    }

    static void actor(Actor actor, Checker at) {
        if (!at.present(actor)) {
            return;
        }
        Checker subject = at.field("subject");
        if (subject.present(actor.subject())) {
            if (actor.subject().isBlank()) {
                subject.fail(Rules.REQUIRED, "must not be blank");
            }
            subject.maxLength(actor.subject(), MAX_ACTOR_LENGTH);
        }
        if (actor.username() != null) {
            at.field("username").maxLength(actor.username(), MAX_ACTOR_LENGTH);
        }
    }
}
