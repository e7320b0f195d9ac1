package dev.windlass.registry.service;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.AuditAction;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.ConnectionMaterial;
import dev.windlass.registry.domain.ConnectionStatus;
import dev.windlass.registry.messaging.OrchestratorEvents;
import dev.windlass.registry.repository.OrchestratorRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stores a connection check's result. A requested test is always audited; a status change is audited and announced.
 * A result obtained with credentials that were replaced during the check is not stored.
 */
@ApplicationScoped
public class ConnectionRecorder {

    private final OrchestratorRepository orchestrators;
    private final AuditTrail audit;
    private final OrchestratorEvents events;
    private final Pool pool;

    public ConnectionRecorder(
            OrchestratorRepository orchestrators, AuditTrail audit, OrchestratorEvents events, Pool pool) {
        this.orchestrators = orchestrators;
        this.audit = audit;
        this.events = events;
        this.pool = pool;
    }

    /** Records {@code check}, made with {@code material}; {@code requested} when a person asked for it. */
    public Uni<Void> record(ConnectionMaterial material, ConnectionCheck check, Actor actor, boolean requested) {
        return pool.withTransaction(tx -> orchestrators
                .findById(tx, material.id())
                .chain(o -> {
                    if (o == null) {
                        return Uni.createFrom().voidItem();
                    }
                    ConnectionStatus previous = o.getConnection().status();
                    return orchestrators
                            .updateConnection(tx, o.getId(), material.version(), check)
                            .chain(updated -> {
                                boolean stored = updated == 1;
                                boolean changed = stored && previous != check.status();
                                Uni<Void> steps = Uni.createFrom().voidItem();
                                if (requested) {
                                    String details = check.status() + ": " + check.message()
                                            + (stored
                                                    ? ""
                                                    : " (not stored: the configuration changed during the test)");
                                    steps = steps.call(() -> audit.record(
                                            tx, o.getId(), o.getName(), AuditAction.CONNECTION_TESTED, actor, details));
                                } else if (changed) {
                                    steps = steps.call(() -> audit.record(
                                            tx,
                                            o.getId(),
                                            o.getName(),
                                            AuditAction.CONNECTION_CHANGED,
                                            actor,
                                            previous + " -> " + check.status() + ": " + check.message()));
                                }
                                if (changed) {
                                    steps = steps.call(() -> events.connectionChanged(tx, o, check, actor));
                                }
                                return steps;
                            });
                }));
    }
}
