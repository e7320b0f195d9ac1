package dev.windlass.registry.repository;

import dev.windlass.registry.domain.AuditEntry;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Audit trail rows. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEntry, UUID> {

    /** The entries of one orchestrator, newest first. */
    public PanacheQuery<AuditEntry> forOrchestrator(UUID orchestratorId) {
        return find("orchestratorId", Sort.descending("occurredAt").and("id"), orchestratorId);
    }
}
