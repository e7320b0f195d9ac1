package dev.windlass.registry.rest;

import dev.windlass.registry.domain.AuditEntry;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One audit entry: who (token subject and username) did what, when. */
@Schema(name = "AuditEntry")
public record AuditEntryResponse(
        UUID id,
        UUID orchestratorId,
        String orchestratorName,

        @Schema(
                enumeration = {
                    "CREATED",
                    "UPDATED",
                    "DELETED",
                    "CONNECTION_TESTED",
                    "CONNECTION_CHANGED",
                    "CREDENTIALS_REENCRYPTED"
                })
        String action,

        String subject,
        String username,
        Instant occurredAt,
        String details) {

    static AuditEntryResponse from(AuditEntry e) {
        return new AuditEntryResponse(
                e.getId(),
                e.getOrchestratorId(),
                e.getOrchestratorName(),
                e.getAction().name(),
                e.getSubject(),
                e.getUsername(),
                e.getOccurredAt(),
                e.getDetails());
    }
}
