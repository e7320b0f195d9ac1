package dev.windlass.deployer.service;

import dev.windlass.events.EventType;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.ValidationResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Drops cached connection material when the registry announces a change of an orchestrator. Every replica
 * consumes every event (its own consumer group), so each one's cache is cleared; repeated event ids are skipped.
 */
@ApplicationScoped
public class OrchestratorChanges {

    private static final Logger LOG = Logger.getLogger(OrchestratorChanges.class);
    private static final int REMEMBERED_IDS = 10_000;

    private final Set<UUID> seen = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    }));
    private final ConnectionCache connections;

    public OrchestratorChanges(ConnectionCache connections) {
        this.connections = connections;
    }

    /** Handles one consumed record; an invalid one is logged and skipped. */
    public Uni<Void> receive(byte[] value, Map<String, byte[]> headers) {
        ValidationResult<OrchestratorChanged> result =
                EventValidator.validate(EventType.ORCHESTRATOR_CHANGED, value, headers);
        if (!result.isValid()) {
            LOG.warnf("skipped an invalid orchestrator event: %s", result.violations());
            return Uni.createFrom().voidItem();
        }
        var event = result.event().orElseThrow();
        if (seen.add(event.id())) {
            connections.forget(event.data().name(), event.data().orchestratorId());
        }
        return Uni.createFrom().voidItem();
    }
}
