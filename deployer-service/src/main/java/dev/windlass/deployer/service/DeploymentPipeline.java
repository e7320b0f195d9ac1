package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.kubernetes.ApplyResult;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.KubernetesConfig;
import dev.windlass.deployer.service.Transitions.Tracked;
import dev.windlass.deployer.service.Transitions.Work;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Carries out accepted deployments, one at a time per app and concurrently across apps: APPLYING, the cluster
 * call with bounded retries of transient failures, then PROGRESSING (and rollout tracking in the background),
 * DELETED or FAILED.
 */
@ApplicationScoped
public class DeploymentPipeline {

    private static final Logger LOG = Logger.getLogger(DeploymentPipeline.class);
    private static final Set<DeploymentState> CARRYING_OUT = Set.of(DeploymentState.ACCEPTED, DeploymentState.APPLYING);

    private final AppQueues queues;
    private final Transitions transitions;
    private final ConnectionCache connections;
    private final ClusterOperations cluster;
    private final RolloutTracker tracker;
    private final ContextRunner runner;
    private final DeployerConfig.Apply retry;
    private final String retryBound;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();

    public DeploymentPipeline(
            AppQueues queues,
            Transitions transitions,
            ConnectionCache connections,
            ClusterOperations cluster,
            RolloutTracker tracker,
            ContextRunner runner,
            DeployerConfig config,
            KubernetesConfig kubernetes) {
        this.queues = queues;
        this.transitions = transitions;
        this.connections = connections;
        this.cluster = cluster;
        this.tracker = tracker;
        this.runner = runner;
        this.retry = config.apply();
        this.retryBound =
                "within about " + describe(kubernetes.retry().budget().multipliedBy(Math.max(1, retry.maxAttempts())));
    }

    /** Queues an accepted deployment behind the earlier ones of the same app ({@code appKey}, see {@code AppRef}). */
    public void enqueue(String appKey, UUID deploymentId) {
        enqueue(appKey, deploymentId, null);
    }

    /**
     * The same, for a deployment whose start the intake's transaction already recorded ({@code started}, see {@link
     * Transitions#start}; null: none): its first attempt goes on from there instead of beginning it again.
     */
    public void enqueue(String appKey, UUID deploymentId, Work started) {
        inFlight.add(deploymentId);
        queues.submit(appKey, () -> carryOut(deploymentId, started).eventually(() -> inFlight.remove(deploymentId)));
    }

    /** Whether the deployment is queued or being carried out. */
    public boolean inFlight(UUID deploymentId) {
        return inFlight.contains(deploymentId);
    }

    /**
     * Carries out one deployment; completes once it is PROGRESSING, DELETED or FAILED. When a state change cannot be
     * read or recorded (the database down or its connections broken by a restart, whatever the failure looks like),
     * the whole step is tried again later (applying again changes nothing), holding back the app's later
     * deployments meanwhile so that their order is kept. Failures of the cluster or the registry never get here: they
     * end the deployment FAILED with their reason.
     */
    Uni<Void> carryOut(UUID id) {
        return carryOut(id, null);
    }

    /** As {@link #carryOut(UUID)}; the first attempt goes on from {@code started} when it is given. */
    Uni<Void> carryOut(UUID id, Work started) {
        AtomicReference<Work> first = new AtomicReference<>(started);
        return DatabaseOutage.retried(
                        () -> attempt(id, first.getAndSet(null))
                                .onFailure()
                                .invoke(failure -> LOG.warnf(
                                        "deployment %s: its state could not be recorded, trying again: %s",
                                        id, describe(failure))),
                        failure -> true,
                        retry.initialBackoff(),
                        retry.maxBackoff())
                .onFailure()
                .invoke(failure -> LOG.errorf(
                        failure,
                        "deployment %s stays unfinished: its state could not be recorded for %s; the recovery sweep"
                                + " resumes it",
                        id,
                        DatabaseOutage.WINDOW));
    }

    private Uni<Void> attempt(UUID id, Work started) {
        Uni<Work> begun =
                started != null ? Uni.createFrom().item(started) : runner.onNewContext(() -> transitions.begin(id));
        return begun.flatMap(work -> {
            if (work == null) {
                return Uni.createFrom().voidItem();
            }
            work.superseded().forEach(tracker::stop);
            return (work.action() == DeploymentAction.DELETE ? delete(work) : apply(work))
                    // a state change not recorded is not the deployment's failure: carryOut tries the step again
                    .onFailure(failure -> !(failure instanceof NotRecorded) && !DatabaseOutage.isCause(failure))
                    .recoverWithUni(failure -> fail(work, failure));
        });
    }

    private Uni<ClusterConnection> connection(Work work, AtomicReference<ClusterConnection> held) {
        Uni<ClusterConnection> lookup = Uni.createFrom().deferred(() -> connections.current(work.orchestrator(), held));
        return retry.maxAttempts() <= 1
                ? lookup
                : lookup.onFailure(RegistryUnavailableException.class)
                        .retry()
                        .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                        .atMost(retry.maxAttempts() - 1L);
    }

    /**
     * Applies the revision, each attempt with the orchestrator's material as the deployer holds it then (so a change
     * made while it retries is used by the next attempt), and follows its rollout with the material that applied it.
     */
    private Uni<Void> apply(Work work) {
        RetryNotes notes = notes(work);
        AtomicReference<ClusterConnection> applied = new AtomicReference<>();
        return withRetries(
                        () -> connection(work, applied)
                                .flatMap(connection -> cluster.apply(
                                        connection,
                                        work.namespace(),
                                        work.spec(),
                                        work.revision(),
                                        work.prune(),
                                        notes,
                                        work.rendered())),
                        notes)
                .flatMap(result -> record(() -> transitions.move(
                        work.id(),
                        Set.of(DeploymentState.APPLYING),
                        DeploymentPhase.PROGRESSING,
                        appliedMessage(work, result),
                        touched(result))))
                .invoke(moved -> {
                    if (moved != null) {
                        tracker.track(Tracked.of(moved), applied.get());
                    }
                })
                .replaceWithVoid();
    }

    /** Removes the app, each attempt with the orchestrator's material as the deployer holds it then. */
    private Uni<Void> delete(Work work) {
        RetryNotes notes = notes(work);
        AtomicReference<ClusterConnection> held = new AtomicReference<>();
        return withRetries(
                        () -> connection(work, held)
                                .flatMap(connection -> cluster.delete(connection, work.namespace(), work.app(), notes)),
                        notes)
                .flatMap(deleted -> record(() -> transitions.move(
                        work.id(),
                        CARRYING_OUT,
                        DeploymentPhase.DELETED,
                        removedMessage(work.app(), deleted, notes.attempts()),
                        deleted)))
                .replaceWithVoid();
    }

    /** A state change after the cluster call; its failure is marked so that it is tried again, never FAILED. */
    private <T> Uni<T> record(Supplier<Uni<T>> change) {
        return runner.onNewContext(change).onFailure().transform(NotRecorded::new);
    }

    private static String describe(java.time.Duration d) {
        return d.toSecondsPart() == 0 && d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof NotRecorded && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** A state change after a successful cluster call that could not be recorded. */
    private static final class NotRecorded extends RuntimeException {

        NotRecorded(Throwable cause) {
            super("the state change could not be recorded: " + cause.getMessage(), cause);
        }
    }

    /** Notes of one deployment's retries, recorded in its message and a status event while it is carried out. */
    private RetryNotes notes(Work work) {
        return new RetryNotes(
                work.id(),
                retryBound,
                note -> runner.onNewContext(() -> transitions.note(work.id(), CARRYING_OUT, note))
                        .subscribe()
                        .with(
                                done -> {},
                                failure -> LOG.debugf(
                                        "deployment %s: a retry note was not recorded: %s",
                                        work.id(), failure.getMessage())));
    }

    private <T> Uni<T> withRetries(Supplier<Uni<T>> call, RetryNotes notes) {
        Uni<T> attempt = Uni.createFrom()
                .<T>deferred(call::get)
                .onFailure(RolloutTracker::isTransient)
                .invoke(failure -> notes.retrying((ClusterException) failure, 0));
        return retry.maxAttempts() <= 1
                ? attempt
                : attempt.onFailure(RolloutTracker::isTransient)
                        .retry()
                        .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                        .atMost(retry.maxAttempts() - 1L);
    }

    private Uni<Void> fail(Work work, Throwable failure) {
        String message = failureMessage(failure);
        return runner.onNewContext(
                        () -> transitions.move(work.id(), CARRYING_OUT, DeploymentPhase.FAILED, message, List.of()))
                .replaceWithVoid();
    }

    private String failureMessage(Throwable failure) {
        if (failure instanceof ClusterException e) {
            String prefix = e.transientFailure() ? "gave up after " + retry.maxAttempts() + " attempts: " : "";
            return prefix + e.getMessage();
        }
        if (failure instanceof OrchestratorNotFoundException e) {
            return e.getMessage();
        }
        if (failure instanceof RegistryUnavailableException e) {
            return "gave up after " + retry.maxAttempts() + " attempts: " + e.getMessage();
        }
        LOG.error("a deployment failed unexpectedly", failure);
        return "the deployment failed unexpectedly; the deployer log has the details";
    }

    /**
     * What an undeploy removed, by name (the first 20), once the cluster was seen to hold none of it any more. After
     * {@code retries}, what the last attempt removed: one cut short may have removed some before.
     */
    static String removedMessage(String app, List<ObjectRef> deleted, int retries) {
        if (deleted.isEmpty() && retries > 0) {
            return "removed 0 object(s) of " + app + " in the last of " + (retries + 1)
                    + " attempts (an attempt cut short may have removed some); none is left on the cluster";
        }
        if (deleted.isEmpty()) {
            return "removed 0 object(s) of " + app + ": the cluster held none";
        }
        List<String> names = deleted.stream()
                .limit(20)
                .map(ref -> ref.kind() + " " + ref.name())
                .toList();
        String attempts = retries > 0 ? " in the last of " + (retries + 1) + " attempts" : "";
        return "removed " + deleted.size() + " object(s) of " + app + attempts + ": " + String.join(", ", names)
                + (deleted.size() > names.size() ? ", …" : "") + "; none is left on the cluster";
    }

    private static String appliedMessage(Work work, ApplyResult result) {
        return "revision " + work.revision() + " applied (" + result.applied().size() + " object(s)"
                + (result.pruned().isEmpty() ? "" : ", " + result.pruned().size() + " pruned")
                + ")"
                + (result.takenOver().isEmpty()
                        ? ""
                        : "; fields changed by another field manager were taken back: "
                                + String.join("; ", result.takenOver()))
                + "; waiting for the rollout";
    }

    private static List<ObjectRef> touched(ApplyResult result) {
        List<ObjectRef> all = new ArrayList<>(result.applied());
        all.addAll(result.pruned());
        return all;
    }
}
