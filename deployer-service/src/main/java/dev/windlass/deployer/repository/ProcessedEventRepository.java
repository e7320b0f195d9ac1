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
}
