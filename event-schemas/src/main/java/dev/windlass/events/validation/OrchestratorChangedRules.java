package dev.windlass.events.validation;

import dev.windlass.events.orchestrator.ConnectionState;
import dev.windlass.events.orchestrator.OrchestratorChange;
import dev.windlass.events.orchestrator.OrchestratorChanged;

/** Checks of {@link OrchestratorChanged}. */
final class OrchestratorChangedRules implements PayloadRules<OrchestratorChanged> {

    /** Longest connection message. */
    static final int MAX_MESSAGE_LENGTH = 1024;

    /** Longest server version string. */
    static final int MAX_VERSION_LENGTH = 64;

    @Override
    public void check(OrchestratorChanged change, Checker at) {
        at.field("change").present(change.change());
        at.field("orchestratorId").present(change.orchestratorId());
        at.field("name").name(change.name(), NameRule.DNS_LABEL);
        at.field("type").present(change.type());
        at.field("environment").present(change.environment());
        at.field("occurredAt").present(change.occurredAt());
        PayloadRules.actor(change.actor(), at.field("actor"));
        Checker connection = at.field("connection");
        if (change.connection() == null) {
            if (change.change() == OrchestratorChange.CONNECTION_CHANGED) {
                connection.fail(Rules.REQUIRED, "is required for CONNECTION_CHANGED");
            }
            return;
        }
        ConnectionState state = change.connection();
        connection.field("status").present(state.status());
        if (state.message() != null) {
            connection.field("message").maxLength(state.message(), MAX_MESSAGE_LENGTH);
        }
        if (state.serverVersion() != null) {
            connection.field("serverVersion").maxLength(state.serverVersion(), MAX_VERSION_LENGTH);
        }
        if (state.latencyMillis() != null && state.latencyMillis() < 0) {
            connection.field("latencyMillis").fail(Rules.RANGE, "must not be negative");
        }
    }
}
