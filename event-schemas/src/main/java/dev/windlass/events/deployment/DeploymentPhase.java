package dev.windlass.events.deployment;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Where a deployment stands; SUCCEEDED, FAILED, SUPERSEDED and DELETED are final. */
@RegisterForReflection
public enum DeploymentPhase {
    /** The request passed validation and was recorded. */
    ACCEPTED,
    /** Objects are being applied with server-side apply. */
    APPLYING,
    /** Applied; waiting for the rollout to become available. */
    PROGRESSING,
    /** The rollout is available. */
    SUCCEEDED,
    /** Applying or the rollout failed; the message says why. */
    FAILED,
    /** A newer request for the same app replaced this one before it finished. */
    SUPERSEDED,
    /** The app's objects were removed. */
    DELETED;

    /** Whether no further status follows for this deployment. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == SUPERSEDED || this == DELETED;
    }
}
