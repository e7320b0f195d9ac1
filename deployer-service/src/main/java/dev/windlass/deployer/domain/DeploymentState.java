package dev.windlass.deployer.domain;

import dev.windlass.events.deployment.DeploymentPhase;

/** Where a stored deployment stands: {@link #PENDING} until its request is consumed, then one phase per step. */
public enum DeploymentState {
    /** Stored by the API; its request is on its way through the outbox and the requests topic. */
    PENDING,
    ACCEPTED,
    APPLYING,
    PROGRESSING,
    SUCCEEDED,
    FAILED,
    SUPERSEDED,
    DELETED;

    /** The state of a phase. */
    public static DeploymentState of(DeploymentPhase phase) {
        return valueOf(phase.name());
    }

    /** The phase of this state; PENDING has none. */
    public DeploymentPhase phase() {
        if (this == PENDING) {
            throw new IllegalStateException("PENDING is not a published phase");
        }
        return DeploymentPhase.valueOf(name());
    }

    /** Whether nothing more happens to the deployment. */
    public boolean isFinal() {
        return this != PENDING && phase().isFinal();
    }
}
