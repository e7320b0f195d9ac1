package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads where a revision's rollout stands from its Deployment alone, the way {@code kubectl rollout status} does:
 * available once the controller has observed the current generation and every desired replica is updated and
 * available, with no old replica left.
 */
final class RolloutEvaluator {

    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /** The reason the ReplicaSet controller gives when the API server refuses to create a pod. */
    static final String FAILED_CREATE = "FailedCreate";

    /**
     * Whether a replica failure is an admission refusal of the pods themselves (Pod Security, a policy webhook, a
     * PodSecurityPolicy), which no wait cures; an exceeded quota is not, since it frees up when other pods go.
     */
    static boolean refusedByAdmission(DeploymentCondition failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        return FAILED_CREATE.equals(failure.getReason())
                && message.contains("is forbidden")
                && !message.contains("exceeded quota");
    }

    private RolloutEvaluator() {}

    static RolloutUpdate evaluate(Deployment deployment, int revision) {
        OptionalInt running = WindlassLabels.revision(
                deployment.getSpec().getTemplate().getMetadata().getLabels());
        if (running.isPresent() && running.getAsInt() > revision) {
            return new RolloutUpdate(
                    RolloutState.FAILED,
                    "Superseded: revision " + running.getAsInt() + " replaced revision " + revision);
        }
        if (running.isEmpty() || running.getAsInt() < revision) {
            return new RolloutUpdate(
                    RolloutState.PROGRESSING, "waiting for revision " + revision + " to reach the Deployment");
        }
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
            return new RolloutUpdate(
                    RolloutState.PROGRESSING,
                    "waiting for the deployment controller to observe generation " + generation);
        }
        Optional<DeploymentCondition> deadline =
                condition(status, "Progressing").filter(c -> PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason()));
        if (deadline.isPresent()) {
            return new RolloutUpdate(
                    RolloutState.FAILED,
                    PROGRESS_DEADLINE_EXCEEDED + ": " + deadline.get().getMessage());
        }
        Optional<DeploymentCondition> refused =
                condition(status, "ReplicaFailure").filter(c -> "True".equals(c.getStatus()) && refusedByAdmission(c));
        if (refused.isPresent()) {
            // waiting does not help: the same pod will be refused until the spec or the namespace's policy changes
            return new RolloutUpdate(
                    RolloutState.FAILED,
                    FAILED_CREATE + ": " + refused.get().getMessage() + " (the namespace's admission refuses the pods;"
                            + " see security in the spec and the namespace's Pod Security labels)");
        }
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int updated = orZero(status.getUpdatedReplicas());
        int available = orZero(status.getAvailableReplicas());
        int total = orZero(status.getReplicas());
        if (updated == desired && available == desired && total <= desired) {
            return new RolloutUpdate(
                    RolloutState.SUCCEEDED,
                    "revision " + revision + ": " + available + " of " + desired + " replicas updated and available");
        }
        return new RolloutUpdate(RolloutState.PROGRESSING, progress(deployment, revision));
    }

    /**
     * Why a revision failed when the deadline passed: {@code ProgressDeadlineExceeded}, the replica counts of the
     * last Deployment seen (if any), then what the revision's pods show.
     */
    static String deadlineExceeded(
            String app, int revision, Duration deadline, Deployment seen, List<String> podProblems) {
        StringBuilder message = new StringBuilder(PROGRESS_DEADLINE_EXCEEDED)
                .append(": revision ")
                .append(revision)
                .append(" of ")
                .append(app)
                .append(" not available within ")
                .append(deadline);
        if (seen != null) {
            message.append(" (").append(progress(seen, revision)).append(')');
        }
        podProblems.forEach(problem -> message.append("; ").append(problem));
        return message.toString();
    }

    /** Replica counts and any replica failure, for progress messages. */
    static String progress(Deployment deployment, int revision) {
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        String message = "revision " + revision + ": " + orZero(status.getUpdatedReplicas()) + " of " + desired
                + " replicas updated, " + orZero(status.getAvailableReplicas()) + " available";
        int old = orZero(status.getReplicas()) - orZero(status.getUpdatedReplicas());
        if (old > 0) {
            message += ", " + old + " old pending termination";
        }
        Optional<DeploymentCondition> replicaFailure =
                condition(status, "ReplicaFailure").filter(c -> "True".equals(c.getStatus()));
        if (replicaFailure.isPresent()) {
            message += "; " + replicaFailure.get().getReason() + ": "
                    + replicaFailure.get().getMessage();
        }
        return message;
    }

    private static Optional<DeploymentCondition> condition(DeploymentStatus status, String type) {
        List<DeploymentCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
