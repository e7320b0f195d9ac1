package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One numbered revision of an app: the spec one APPLY or ROLLBACK put (or tried to put) on the cluster. */
@Entity
@Table(name = "revisions")
public class Revision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

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

    @Column(nullable = false)
    public int number;

    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    /** For a rollback: the revision whose spec this one repeats. */
    @Column(name = "rolled_back_from")
    public Integer rolledBackFrom;

    /** The spec as JSON with every secret env value left out (the names are kept). */
    @Column(nullable = false)
    public String spec;

    /** The secret env values as one sealed JSON object; null when the spec has none. */
    @Column(name = "sealed_secret_env")
    public String sealedSecretEnv;

    /**
     * The namespaced objects this revision applied or tried to apply, as a JSON array of object refs, recorded before
     * each attempt; null on a revision stored before the deployer recorded them (its objects are unknown).
     */
    @Column(name = "object_refs")
    public String objectRefs = "[]";

    @Column(name = "requested_by_subject", nullable = false)
    public String requestedBySubject;

    @Column(name = "requested_by_username")
    public String requestedByUsername;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The app this is a revision of. */
    public AppRef appRef() {
        return new AppRef(orchestratorId, orchestrator, namespace, app);
    }
}
