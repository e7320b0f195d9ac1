package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.ProcessedEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Ids of consumed events. */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, UUID> {

    /** Forgets the ids processed before {@code before}; the number forgotten. */
    public Uni<Long> deleteBefore(Instant before) {
        return delete("processedAt < ?1", before);
    }

    /**
     * Records the id unless it is there already; true when this call recorded it. Concurrent callers with the
     * same id wait on each other, and exactly one of them gets true once the other's transaction is over.
     */
    public Uni<Boolean> claim(ProcessedEvent event) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "insert into processed_events (event_id, event_type, processed_at)"
                                        + " values (?1, ?2, ?3) on conflict do nothing")
                        .setParameter(1, event.eventId)
                        .setParameter(2, event.eventType)
                        .setParameter(3, event.processedAt)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
