package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.PendingImageUpdate;
import dev.windlass.deployer.domain.PendingImageUpdate.Status;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Image updates that wait, or waited, for approvals. */
@ApplicationScoped
public class PendingImageUpdateRepository implements PanacheRepositoryBase<PendingImageUpdate, UUID> {

    /** The update of this app revision and image, if a policy took it already. */
    public Uni<PendingImageUpdate> findFor(AppRef app, int revision, String image) {
        return find(
                        app.where(null, "a") + " and revision = :revision and image = :image",
                        app.parameters("a").and("revision", revision).and("image", image))
                .firstResult();
    }

    /** The app's updates, newest first. */
    public Uni<List<PendingImageUpdate>> ofApp(AppRef app) {
        return find(app.where(null, "a") + " order by createdAt desc", app.parameters("a"))
                .list();
    }

    /** The app's updates still waiting for approvals. */
    public Uni<List<PendingImageUpdate>> pendingOf(AppRef app) {
        return find(
                        app.where(null, "a") + " and status = :status",
                        app.parameters("a").and("status", Status.PENDING))
                .list();
    }

    /** Every update approved before {@code before} that has no deployment: its request failed after the approval. */
    public Uni<List<PendingImageUpdate>> approvedUnrequested(Instant before) {
        return list("status = ?1 and deploymentId is null and decidedAt < ?2", Status.APPROVED, before);
    }

    /** Every pending update whose deadline has passed. */
    public Uni<List<PendingImageUpdate>> overdue(Instant now) {
        return list("status = ?1 and deadline < ?2", Status.PENDING, now);
    }
}
