package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.PhaseEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Phase histories. */
@ApplicationScoped
public class PhaseRepository implements PanacheRepositoryBase<PhaseEntry, Long> {

    /** The deployment's phases in the order they happened. */
    public Uni<List<PhaseEntry>> history(UUID deploymentId) {
        return list("deploymentId", Sort.ascending("id"), deploymentId);
    }

    /** The deployment's phases recorded after the entry with id {@code afterId}. */
    public Uni<List<PhaseEntry>> since(UUID deploymentId, long afterId) {
        return list("deploymentId = ?1 and id > ?2", Sort.ascending("id"), deploymentId, afterId);
    }
}
