package dev.windlass.deployer.domain;

import dev.windlass.events.deployment.DeploymentAction;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One request to apply, roll back or delete an app, and where it stands. */
@Entity
@Table(name = "deployments")
public class Deployment {

    @Id
    public UUID id;

    /** The orchestrator's name when this was stored (for people; see {@link #orchestratorId}). */
    @Column(nullable = false)
    public String orchestrator;

    /** The orchestrator's id, which stays when it is renamed; null only on rows older than the column. */
    @Column(name = "orchestrator_id")
    public UUID orchestratorId;

    @Column(nullable = false)
    public String namespace;

    @Column(nullable = false)
    public String app;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentAction action;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState phase;

    public String message;

    /** The app revision this deployment applies; null for DELETE and until the request is accepted. */
    public Integer revision;

    /** For ROLLBACK: the revision whose spec is applied again. */
    @Column(name = "target_revision")
    public Integer targetRevision;

    /** For UPDATE_IMAGE: the image the app's newest revision is applied again with. */
    public String image;

    /** Why Windlass made this request on its own (an image update policy, say); null for everyone else's. */
    public String reason;

    @Column(name = "requested_by_subject", nullable = false)
    public String requestedBySubject;

    @Column(name = "requested_by_username")
    public String requestedByUsername;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** What was asked for ({@link dev.windlass.deployer.trust.RequestDigest}); null on rows older than the column. */
    @Column(name = "request_digest")
    public String requestDigest;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_hash")
    public String requestHash;

    /** The Kafka key, {@code orchestrator id/namespace/app}: one app's requests and statuses stay in order. */
    public String appKey() {
        return AppRef.of(this).key();
    }
}
