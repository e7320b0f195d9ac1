package dev.windlass.registry.service;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.AuditAction;
import dev.windlass.registry.domain.AuditEntry;
import dev.windlass.registry.repository.AuditRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Appends audit entries inside the caller's transaction ({@code tx}, its connection). */
@ApplicationScoped
public class AuditTrail {

    private final AuditRepository entries;

    public AuditTrail(AuditRepository entries) {
        this.entries = entries;
    }

    /** Records one action; {@code details} must never contain a credential. */
    public Uni<Void> record(
            SqlClient tx,
            UUID orchestratorId,
            String orchestratorName,
            AuditAction action,
            Actor actor,
            String details) {
        return entries.insert(
                tx, new AuditEntry(orchestratorId, orchestratorName, action, actor, Instant.now(), details));
    }
}
