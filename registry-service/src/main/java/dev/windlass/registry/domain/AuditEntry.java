package dev.windlass.registry.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Who did what to an orchestrator, and when. Kept after the orchestrator is deleted. Never holds a credential. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

    @Id
    private UUID id;

    @Column(name = "orchestrator_id", nullable = false)
    private UUID orchestratorId;

    @Column(name = "orchestrator_name", nullable = false)
    private String orchestratorName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AuditAction action;

    @Column(nullable = false)
    private String subject;

    private String username;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    private String details;

    protected AuditEntry() {}

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
