package dev.windlass.deployer.rest;

import dev.windlass.deployer.domain.ImageUpdateApproval;
import dev.windlass.deployer.domain.PendingImageUpdate;
import dev.windlass.deployer.domain.PendingImageUpdate.Status;
import dev.windlass.deployer.service.ImageApprovals.Decision;
import dev.windlass.events.Actor;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An image update that waits, or waited, for approvals, with the approvals given. */
@Schema(name = "ImageUpdate")
public record ImageUpdateResponse(
        UUID id,

        @Schema(description = "The app's revision the update applies again with the image")
        int revision,

        String image,
        String policy,
        String reason,

        @Schema(description = "PENDING until enough approvals (APPROVED) or the deadline (EXPIRED)")
        Status status,

        int requiredApprovals,

        @Schema(description = "Groups whose members may approve")
        List<String> approverGroups,

        Instant deadline,
        Instant createdAt,
        Instant decidedAt,

        @Schema(description = "The image update's deployment, once approved")
        UUID deploymentId,

        List<Approval> approvals) {

    /** One approval: who, and when. */
    @Schema(name = "ImageUpdateApproval")
    public record Approval(Actor approvedBy, Instant approvedAt) {

        static Approval from(ImageUpdateApproval a) {
            return new Approval(new Actor(a.subject, a.username), a.approvedAt);
        }
    }

    static ImageUpdateResponse from(Decision decision) {
        PendingImageUpdate u = decision.update();
        return new ImageUpdateResponse(
                u.id,
                u.revision,
                u.image,
                u.policy,
                u.reason,
                u.status,
                u.requiredApprovals,
                u.groups(),
                u.deadline,
                u.createdAt,
                u.decidedAt,
                u.deploymentId,
                decision.approvals().stream().map(Approval::from).toList());
    }
}
