package dev.windlass.deployer.service;

import java.util.UUID;

/** What the intake did with one consumed request. */
public sealed interface IntakeDecision {

    /**
     * Stored and ACCEPTED; the pipeline carries it out next, in the queue of {@code appKey}. {@code started}: the work
     * the intake's transaction already began ({@link Transitions#start}, the deployment APPLYING), or null when the
     * pipeline begins it.
     */
    record Accepted(UUID deploymentId, String appKey, Transitions.Work started) implements IntakeDecision {}

    /** Sent to the dead-letter topic (and the deployment, when known, FAILED). */
    record DeadLettered(String reason) implements IntakeDecision {}

    /** The event id was processed before: nothing changed, nothing was emitted. */
    record Duplicate() implements IntakeDecision {}
}
