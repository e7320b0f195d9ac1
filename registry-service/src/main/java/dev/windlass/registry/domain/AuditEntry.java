package dev.windlass.registry.domain;

import dev.windlass.common.sql.Sql;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** Who did what to an orchestrator, and when. Kept after the orchestrator is deleted. Never holds a credential. */
public class AuditEntry {

    private UUID id;

    private UUID orchestratorId;

    private String orchestratorName;

    private AuditAction action;

    private String subject;

    private String username;

    private Instant occurredAt;

    private String details;

    private AuditEntry() {}

    /** The entry a row of the {@code audit_entry} table holds. */
    public static AuditEntry fromRow(Row row) {
        AuditEntry e = new AuditEntry();
        e.id = row.getUUID("id");
        e.orchestratorId = row.getUUID("orchestrator_id");
        e.orchestratorName = row.getString("orchestrator_name");
        e.action = AuditAction.valueOf(row.getString("action"));
        e.subject = row.getString("subject");
        e.username = row.getString("username");
        e.occurredAt = Sql.instant(row.getOffsetDateTime("occurred_at"));
        e.details = row.getString("details");
        return e;
    }

    public AuditEntry(
            UUID orchestratorId,
            String orchestratorName,
            AuditAction action,
            Actor actor,
            Instant occurredAt,
            String details) {
        this.id = UUID.randomUUID();
        this.orchestratorId = orchestratorId;
        this.orchestratorName = orchestratorName;
        this.action = action;
        this.subject = actor.subject();
        this.username = actor.username();
        this.occurredAt = occurredAt;
        this.details = details;
    }

    public UUID getId() {
        return id;
    }

    public UUID getOrchestratorId() {
        return orchestratorId;
    }

    public String getOrchestratorName() {
        return orchestratorName;
    }

    public AuditAction getAction() {
        return action;
    }

    public String getSubject() {
        return subject;
    }

    public String getUsername() {
        return username;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getDetails() {
        return details;
    }
}
