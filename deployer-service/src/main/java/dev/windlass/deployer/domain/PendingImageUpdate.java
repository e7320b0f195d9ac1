package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** An image update a policy took for an app whose spec asks for approvals first, and what became of it. */
@Entity
@Table(name = "pending_image_updates")
public class PendingImageUpdate {

    /** What became of an update. */
    public enum Status {
        /** Waiting for approvals. */
        PENDING,
        /** Approved: requested as an image update ({@link #deploymentId}). */
        APPROVED,
        /** Its deadline passed first: nothing was deployed. */
        EXPIRED,
        /** A newer update was found for the app, or the app has a newer revision: nothing was deployed. */
        SUPERSEDED
    }

    @Id
    public UUID id;

    @Column(name = "orchestrator_id", nullable = false)
    public UUID orchestratorId;

    @Column(nullable = false)
    public String orchestrator;

    @Column(nullable = false)
    public String namespace;

    @Column(nullable = false)
    public String app;

    /** The app's newest revision when the policy took the image: the revision the update applies again. */
    @Column(nullable = false)
    public int revision;

    @Column(nullable = false)
    public String image;

    @Column(nullable = false)
    public String policy;

    @Column(nullable = false)
    public String reason;

    @Column(name = "required_approvals", nullable = false)
    public int requiredApprovals;

    /** The groups whose members may approve, one per line. */
    @Column(name = "approver_groups", nullable = false)
    public String approverGroups;

    @Column(nullable = false)
    public Instant deadline;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "deployment_id")
    public UUID deploymentId;

    public List<String> groups() {
        return Arrays.asList(approverGroups.split("\n"));
    }

    public AppRef appRef() {
        return new AppRef(orchestratorId, orchestrator, namespace, app);
    }
}
