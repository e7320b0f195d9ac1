package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.PruneScope;
import dev.windlass.deployer.kubernetes.RenderedApp;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The deployment state machine: each method is one transaction that moves a deployment on, or does nothing. */
@ApplicationScoped
public class Transitions {

    /**
     * What the pipeline needs to carry out one accepted deployment; {@code orchestrator} is its id (or old name);
     * {@code rendered} the revision's objects when intake rendered them in this process (null: the apply renders).
     */
    public record Work(
            UUID id,
            DeploymentAction action,
            String orchestrator,
            String namespace,
            String app,
            Integer revision,
            AppSpec spec,
            List<UUID> superseded,
            PruneScope prune,
            RenderedApp rendered) {

        static Work of(Deployment d, AppSpec spec, List<UUID> superseded, PruneScope prune, RenderedApp rendered) {
            return new Work(
                    d.id,
                    d.action,
                    AppRef.of(d).orchestratorRef(),
                    d.namespace,
                    d.app,
                    d.revision,
                    spec,
                    superseded,
                    prune,
                    rendered);
        }
    }

    /** A deployment whose rollout is being followed. */
    public record Tracked(
            UUID id, String orchestrator, String namespace, String app, int revision, Instant progressingSince) {

        static Tracked of(Deployment d) {
            return new Tracked(d.id, AppRef.of(d).orchestratorRef(), d.namespace, d.app, d.revision, d.updatedAt);
        }
    }

    private final DeploymentRepository deployments;
    private final PhaseLog phases;
    private final SpecStore specs;
    private final ClusterOperations cluster;
    private final GuardedMoves moves;

    public Transitions(
            DeploymentRepository deployments,
            PhaseLog phases,
            SpecStore specs,
            ClusterOperations cluster,
            GuardedMoves moves) {
        this.deployments = deployments;
        this.phases = phases;
        this.specs = specs;
        this.cluster = cluster;
        this.moves = moves;
    }

    /**
     * Starts carrying out an accepted deployment: the app's deployments still progressing are superseded, and an
     * APPLY or ROLLBACK enters APPLYING. Null when the deployment is not (or no longer) waiting for this; a
     * deployment already APPLYING (after a restart, or because the intake started it) is carried out again. One
     * transaction of guarded statements on the plain reactive client ({@link GuardedMoves}), like every move after
     * the intake.
     */
    @WakesOutboxRelay
    public Uni<Work> begin(UUID id) {
        return moves.inTransaction(connection -> moves.lock(connection, id).flatMap(d -> {
            if (d == null || (d.phase != DeploymentState.ACCEPTED && d.phase != DeploymentState.APPLYING)) {
                return Uni.createFrom().nullItem();
            }
            return moves.lockOthersOfApp(connection, AppRef.of(d), Set.of(DeploymentState.PROGRESSING), d.id)
                    .flatMap(progressing -> start(connection, d, progressing, null, null, null));
        }));
    }

    /**
     * What {@link #begin} does once it holds the deployment, inside the caller's transaction on {@code connection}:
     * {@code d} is locked there, ACCEPTED or APPLYING, and {@code progressing} are the app's deployments still
     * progressing, locked too. They are superseded, an APPLY or ROLLBACK enters APPLYING and the objects it is about to
     * apply are recorded. The intake calls it in the transaction that accepted {@code d} when nothing of the app is
     * waiting before it, handing over what it already has: the revision it stored, the spec with its secret values
     * opened and the objects it renders to (each null when not at hand: read, opened or rendered here).
     */
    Uni<Work> start(
            SqlConnection connection,
            Deployment d,
            List<Deployment> progressing,
            Revision stored,
            AppSpec opened,
            RenderedApp rendered) {
        boolean delete = d.action == DeploymentAction.DELETE;
        String by = delete ? "an undeploy" : "revision " + d.revision;
        return Multi.createFrom()
                .iterable(progressing)
                .onItem()
                .transformToUniAndConcatenate(o -> moves.enter(
                                connection,
                                o,
                                DeploymentPhase.SUPERSEDED,
                                "superseded by " + by + " (deployment " + d.id + ")",
                                List.of())
                        .replaceWith(o.id))
                .collect()
                .asList()
                .flatMap(superseded -> {
                    Uni<Void> enter = !delete && d.phase == DeploymentState.ACCEPTED
                            ? moves.enter(
                                    connection,
                                    d,
                                    DeploymentPhase.APPLYING,
                                    "applying revision " + d.revision,
                                    List.of())
                            : Uni.createFrom().voidItem();
                    if (delete) {
                        return enter.replaceWith(Work.of(d, null, superseded, PruneScope.everything(), null));
                    }
                    return enter.chain(() ->
                                    stored != null ? Uni.createFrom().item(stored) : moves.revisionOf(connection, d.id))
                            .flatMap(revision -> {
                                AppSpec spec = opened != null ? opened : specs.restore(revision);
                                RenderedApp objects = rendered != null ? rendered : rendered(d, spec);
                                return recordObjects(connection, d, revision, objects)
                                        .map(prune -> Work.of(d, spec, superseded, prune, objects));
                            });
                });
    }

    /**
     * The objects {@code spec} renders to as revision {@code d.revision} of {@code d}'s app, before the cluster's
     * addresses are known ({@link ClusterOperations#render}); null when it does not render (the apply fails the same
     * way before any cluster call).
     */
    RenderedApp rendered(Deployment d, AppSpec spec) {
        try {
            return cluster.render(d.namespace, spec, d.revision);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Records the objects the revision is about to apply (before any of them reaches the cluster, so that whatever an
     * attempt leaves behind is known to later revisions) and returns the scope of its prune: the kinds of the objects
     * the app's revisions recorded — all of them when a revision from before this record exists. {@code rendered}
     * null: the spec does not render.
     */
    private Uni<PruneScope> recordObjects(
            SqlConnection connection, Deployment d, Revision revision, RenderedApp rendered) {
        if (rendered == null) {
            // the apply fails the same way before any cluster call; nothing to record
            return Uni.createFrom().item(PruneScope.everything());
        }
        return moves.objectRefsOfApp(connection, AppRef.of(d)).flatMap(recorded -> {
            PruneScope prune = RevisionObjects.scope(recorded);
            String widened = RevisionObjects.widen(revision.objectRefs, rendered.refs());
            return widened.equals(revision.objectRefs)
                    ? Uni.createFrom().item(prune)
                    : moves.recordObjectRefs(connection, revision.id, widened).replaceWith(prune);
        });
    }

    /**
     * Moves the deployment to {@code to} if it is in one of {@code from}; the deployment after the move, or null
     * when it was elsewhere (superseded meanwhile, say). One guarded statement ({@link GuardedMoves}), in a
     * transaction of its own.
     */
    @WakesOutboxRelay
    public Uni<Deployment> move(
            UUID id, Set<DeploymentState> from, DeploymentPhase to, String message, List<ObjectRef> objects) {
        return moves.move(id, from, to, message, objects);
    }

    /**
     * Notes what a deployment still in one of {@code in} is going through (a retry and its reason) in its current
     * message and a status event; does nothing once it has moved on.
     */
    @WithTransaction
    @WakesOutboxRelay
    public Uni<Void> note(UUID id, Set<DeploymentState> in, String message) {
        return deployments
                .lock(id)
                .flatMap(d ->
                        d == null || !in.contains(d.phase) ? Uni.createFrom().voidItem() : phases.note(d, message));
    }

    /**
     * Whether a deployment found waiting (ACCEPTED or APPLYING) with no work under way is to be carried out now. Not
     * when it is no longer waiting, nor when a deployment of its app accepted after it has already been carried out:
     * applying it now would undo the later one, so it ends SUPERSEDED instead.
     */
    @WithTransaction
    public Uni<Boolean> stillToCarryOut(UUID id) {
        return deployments.lock(id).flatMap(d -> {
            if (d == null || (d.phase != DeploymentState.ACCEPTED && d.phase != DeploymentState.APPLYING)) {
                return Uni.createFrom().item(false);
            }
            return deployments
                    .countOvertaking(d)
                    .flatMap(later -> later == 0
                            ? Uni.createFrom().item(true)
                            : phases.enter(
                                            d,
                                            DeploymentPhase.SUPERSEDED,
                                            "superseded: a later request of " + d.app + " was carried out first",
                                            List.of())
                                    .replaceWith(false));
        });
    }

    /** PENDING deployments requested before {@code before} whose request is no longer on its way (see the sweep). */
    @WithSession
    public Uni<List<Deployment>> strandedPending(Instant before) {
        return deployments.strandedPending(before);
    }

    /** The deployments whose work was cut short by a stop: waiting (ACCEPTED, APPLYING) or progressing. */
    @WithSession
    public Uni<List<Deployment>> unfinished() {
        return deployments.inStates(
                List.of(DeploymentState.ACCEPTED, DeploymentState.APPLYING, DeploymentState.PROGRESSING));
    }
}
