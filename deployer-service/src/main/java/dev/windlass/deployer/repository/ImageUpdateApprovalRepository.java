package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.ImageUpdateApproval;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Approvals given to pending image updates. */
@ApplicationScoped
public class ImageUpdateApprovalRepository implements PanacheRepositoryBase<ImageUpdateApproval, Long> {

    /** The approvals of these updates, oldest first. */
    public Uni<List<ImageUpdateApproval>> ofUpdates(List<UUID> updates) {
        if (updates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("updateId in ?1", Sort.ascending("id"), updates);
    }

    /** Whether this person approved this update already. */
    public Uni<Boolean> given(UUID update, String subject) {
        return count("updateId = ?1 and subject = ?2", update, subject).map(n -> n > 0);
    }
}
