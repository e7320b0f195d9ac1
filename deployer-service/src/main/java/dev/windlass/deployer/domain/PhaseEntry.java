package dev.windlass.deployer.domain;

import dev.windlass.events.deployment.DeploymentPhase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One step in a deployment's phase history. */
@Entity
@Table(name = "deployment_phases")
public class PhaseEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentPhase phase;

    @Column(nullable = false)
    public String message;

    public Integer revision;

    /** The objects the step touched, as a JSON array of {@code ObjectRef}; null for none. */
    public String objects;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
