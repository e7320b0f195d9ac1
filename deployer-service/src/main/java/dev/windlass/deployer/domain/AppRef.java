package dev.windlass.deployer.domain;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.events.EventKeys;
import java.util.UUID;

/**
 * One app on one orchestrator as the deployer's rows identify it: by the orchestrator's id, which stays when the
 * orchestrator is renamed. A row stored before the id was kept, and not yet given one, is identified by the
 * orchestrator's name instead.
 *
 * @param orchestratorId the orchestrator's id; null only for such an old row
 * @param orchestrator the orchestrator's name (when the row was stored, or now); null when only the id is known
 */
public record AppRef(UUID orchestratorId, String orchestrator, String namespace, String app) {

    public static AppRef of(Deployment d) {
        return new AppRef(d.orchestratorId, d.orchestrator, d.namespace, d.app);
    }

    /** This app on the orchestrator a registry connection describes. */
    public static AppRef of(ClusterConnection orchestrator, String namespace, String app) {
        return new AppRef(orchestrator.id(), orchestrator.name(), namespace, app);
    }

    /** How to ask the registry for the orchestrator: by id, or by name for an old row. */
    public String orchestratorRef() {
        return orchestratorId != null ? orchestratorId.toString() : orchestrator;
    }

    /** The Kafka key and the in-process queue of the app, {@code <orchestrator id>/<namespace>/<app>}. */
    public String key() {
        return EventKeys.deployment(orchestratorRef(), namespace, app);
    }

    /**
     * A JPQL condition on an entity with {@code orchestratorId}, {@code orchestrator}, {@code namespace} and {@code
     * app} fields that holds for this app's rows, with its parameters named after {@code prefix}.
     */
    public String where(String alias, String prefix) {
        String a = alias == null ? "" : alias + ".";
        String byName = "(" + a + "orchestratorId is null and " + a + "orchestrator = :" + prefix + "Name)";
        String orchestratorCondition;
        if (orchestratorId == null) {
            orchestratorCondition = byName;
        } else if (orchestrator == null) {
            orchestratorCondition = a + "orchestratorId = :" + prefix + "Id";
        } else {
            // rows older than the id, not yet given it, are this app's too when they carry its name
            orchestratorCondition = "(" + a + "orchestratorId = :" + prefix + "Id or " + byName + ")";
        }
        return orchestratorCondition + " and " + a + "namespace = :" + prefix + "Namespace and " + a + "app = :"
                + prefix + "App";
    }

    /** The parameters of {@link #where}. */
    public io.quarkus.panache.common.Parameters parameters(String prefix) {
        io.quarkus.panache.common.Parameters p = io.quarkus.panache.common.Parameters.with(
                        prefix + "Namespace", namespace)
                .and(prefix + "App", app);
        if (orchestratorId != null) {
            p.and(prefix + "Id", orchestratorId);
        }
        if (orchestrator != null) {
            p.and(prefix + "Name", orchestrator);
        }
        return p;
    }

    @Override
    public String toString() {
        return namespace + "/" + app + " on " + orchestrator;
    }
}
