package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.RenderedApp;
import dev.windlass.deployer.trust.RequestDigest;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The transactions of the intake. Each records the event id in {@code processed_events} together with its effect
 * (the accepted deployment, or the dead letter and FAILED status), so a redelivered event changes nothing. Plain
 * statements on the reactive client ({@link IntakeRows}, {@link GuardedMoves}), no ORM session: every deploy request
 * goes through here.
 */
@ApplicationScoped
public class IntakeRecorder {

    /** Rule of a request naming an orchestrator the registry does not know. */
    public static final String UNKNOWN_ORCHESTRATOR = "unknown-orchestrator";

    /** Rule of a rollback to a revision the app does not have. */
    public static final String UNKNOWN_REVISION = "unknown-revision";

    /** Rule of an image update for an app that has no revision, or whose last deployment undeployed it. */
    public static final String NOT_DEPLOYED = "not-deployed";

    /** Rule of a request for an Ingress host another app holds, or one reserved for Windlass. */
    public static final String HOST_CLAIMED = "host-claimed";

    /** Rule of a request reusing the id of another deployment. */
    public static final String DEPLOYMENT_CONFLICT = "deployment-conflict";

    private static final int REASONS_IN_MESSAGE = 3;

    private static final Set<DeploymentState> PROGRESSING = Set.of(DeploymentState.PROGRESSING);

    private final IntakeRows rows;
    private final GuardedMoves moves;
    private final Transitions transitions;
    private final PhaseLog phases;
    private final Outbox outbox;
    private final SpecStore specStore;
    private final HostClaims hosts;
    private final ConnectionCache connections;

    public IntakeRecorder(
            IntakeRows rows,
            GuardedMoves moves,
            Transitions transitions,
            PhaseLog phases,
            Outbox outbox,
            SpecStore specStore,
            HostClaims hosts,
            ConnectionCache connections) {
        this.rows = rows;
        this.moves = moves;
        this.transitions = transitions;
        this.phases = phases;
        this.outbox = outbox;
        this.specStore = specStore;
        this.hosts = hosts;
        this.connections = connections;
    }

    /**
     * One intake transaction: its connection, and the deployment the request names when it is new and not stored yet
     * (it is stored once, as its first phase is entered: {@link #enter}).
     */
    private static final class Tx {

        final SqlConnection connection;
        Deployment unsaved;

        Tx(SqlConnection connection) {
            this.connection = connection;
        }
    }

    /**
     * What accepting a valid request writes: it stores (or takes over) the deployment, numbers its revision,
     * ACCEPTED. {@code requester} is the caller the record's token names, or null for a record without a token, which
     * is taken only as the request of a PENDING deployment the API stored with the same digest (the API checked its
     * caller then). {@code spec} is the request's spec with its secret values opened. When nothing of the app is
     * waiting before it, the same transaction starts carrying it out ({@link Transitions#start}): the pipeline is
     * handed that work.
     */
    public Write accepting(
            IncomingRequest record, EventEnvelope<DeploymentRequested> event, AppSpec spec, Caller requester) {
        return connection -> accept(new Tx(connection), record, event, spec, requester);
    }

    /**
     * What the intake records of one record, in a transaction it is given: the record's claim and its effect. Several
     * are written in one transaction ({@link #writeAll}), one after the other on its connection, so that each sees
     * what the ones before it wrote.
     */
    @FunctionalInterface
    public interface Write {

        Uni<IntakeDecision> in(SqlConnection connection);
    }

    /** Writes one record's outcome in a transaction of its own. */
    @WakesOutboxRelay
    public Uni<IntakeDecision> write(Write write) {
        return moves.inTransaction(write::in);
    }

    /**
     * Writes the outcomes of a poll's records in one transaction, in their order (which keeps the order of each app
     * key's records); their decisions once it committed. Any failure rolls all of them back.
     */
    @WakesOutboxRelay
    public Uni<List<IntakeDecision>> writeAll(List<Write> writes) {
        return moves.inTransaction(connection -> Multi.createFrom()
                .iterable(writes)
                .onItem()
                .transformToUniAndConcatenate(write -> write.in(connection))
                .collect()
                .asList());
    }

    private Uni<IntakeDecision> accept(
            Tx tx, IncomingRequest record, EventEnvelope<DeploymentRequested> event, AppSpec spec, Caller requester) {
        DeploymentRequested request = event.data();
        String digest = RequestDigest.of(request);
        // the claim is this record's own: its event id together with what it asks for, so another record reusing a
        // waiting record's event id can neither make it a duplicate nor be taken for it
        UUID claimId = claimId(event.id(), request.deploymentId(), digest);
        return moves.lock(tx.connection, request.deploymentId()).flatMap(existing -> {
            Violation refusal = null;
            if (requester == null && !storedByApi(existing, request, digest)) {
                refusal = new Violation(
                        RequestTrust.AUTHORIZATION_HEADER,
                        RequestTrust.UNAUTHENTICATED,
                        "carries no access token, and is not a request the API stored");
            } else if (requester != null
                    && existing != null
                    && (existing.phase != DeploymentState.PENDING
                            || !sameRequest(existing, request, digest, requester))) {
                refusal = new Violation(
                        "deploymentId",
                        DEPLOYMENT_CONFLICT,
                        "names a deployment that was already requested with other content or by someone else,"
                                + " or already accepted");
            }
            if (refusal != null) {
                List<Violation> reason = List.of(refusal);
                // a refused record claims nothing; a redelivery of an accepted one is a duplicate
                return rows.seen(tx.connection, claimId)
                        .flatMap(seen -> seen
                                ? Uni.createFrom().item(new IntakeDecision.Duplicate())
                                : deadLetter(tx, record, reason, null));
            }
            return claim(tx, claimId).flatMap(first -> {
                if (!first) {
                    return Uni.createFrom().item(new IntakeDecision.Duplicate());
                }
                if (existing != null) {
                    return carryOn(tx, record, existing, request, spec);
                }
                // a request names its orchestrator by id or name; the deployment keeps both, by the registry's word
                return connections
                        .get(request.orchestrator())
                        .map(connection -> newDeployment(request, requester, digest, connection))
                        .onFailure(OrchestratorNotFoundException.class)
                        .recoverWithNull()
                        .flatMap(d -> d == null
                                ? deadLetter(
                                        tx,
                                        record,
                                        List.of(new Violation(
                                                "orchestrator", UNKNOWN_ORCHESTRATOR, "no orchestrator has this name")),
                                        null)
                                : carryOn(tx, record, unsaved(tx, d), request, spec));
            });
        });
    }

    private Uni<IntakeDecision> carryOn(
            Tx tx, IncomingRequest record, Deployment d, DeploymentRequested request, AppSpec spec) {
        return switch (request.action()) {
            case APPLY -> claimHost(tx, record, d, spec, () -> acceptApply(tx, d, spec));
            case ROLLBACK -> acceptRollback(tx, record, d, request);
            case UPDATE_IMAGE -> acceptImageUpdate(tx, record, d, request);
            case DELETE ->
                hosts.release(tx.connection, AppRef.of(d), null)
                        .chain(() -> enter(tx, d, DeploymentPhase.ACCEPTED, "undeploy accepted"))
                        .chain(() -> accepted(tx, d, null, null, null));
        };
    }

    /** What rejecting a request for good writes: the dead letter, and FAILED for the deployment when it is named. */
    public Write rejecting(IncomingRequest record, List<Violation> reason, RejectedRequest known) {
        return connection -> {
            Tx tx = new Tx(connection);
            Uni<Boolean> first = known.eventId() == null ? Uni.createFrom().item(true) : claim(tx, known.eventId());
            return first.flatMap(isFirst -> isFirst
                    ? deadLetter(tx, record, reason, known)
                    : Uni.createFrom().item(new IntakeDecision.Duplicate()));
        };
    }

    private Uni<IntakeDecision> acceptApply(Tx tx, Deployment d, AppSpec spec) {
        return rows.nextNumber(tx.connection, AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            specStore.store(spec, revision);
            // rendered once: recorded with the revision, and handed through the start below to the apply
            RenderedApp objects = transitions.rendered(d, spec);
            if (objects != null) {
                revision.objectRefs = RevisionObjects.widen(revision.objectRefs, objects.refs());
            }
            return enter(tx, d, DeploymentPhase.ACCEPTED, "accepted as revision " + number)
                    .chain(() -> rows.insert(tx.connection, revision))
                    .chain(() -> accepted(tx, d, revision, spec, objects));
        });
    }

    private Uni<IntakeDecision> acceptRollback(
            Tx tx, IncomingRequest record, Deployment d, DeploymentRequested request) {
        int target = request.targetRevision();
        return rows.revision(tx.connection, AppRef.of(d), target).flatMap(from -> {
            if (from == null) {
                Violation unknown =
                        new Violation("targetRevision", UNKNOWN_REVISION, "the app has no revision " + target);
                return deadLetter(tx, record, List.of(unknown), null).call(() -> fail(tx, d, List.of(unknown)));
            }
            return claimHost(tx, record, d, specStore.masked(from), () -> rollbackTo(tx, d, from, target));
        });
    }

    private Uni<IntakeDecision> rollbackTo(Tx tx, Deployment d, Revision from, int target) {
        return rows.nextNumber(tx.connection, AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            revision.rolledBackFrom = target;
            revision.spec = from.spec;
            revision.sealedSecretEnv = from.sealedSecretEnv;
            return enter(
                            tx,
                            d,
                            DeploymentPhase.ACCEPTED,
                            "rollback to revision " + target + " accepted as revision " + number)
                    .chain(() -> rows.insert(tx.connection, revision))
                    .chain(() -> accepted(tx, d, revision, null, null));
        });
    }

    /**
     * Takes the app's newest revision with the request's image as the next revision; refused (dead letter, FAILED)
     * when the app has no revision or its last deployment undeployed it: an image watcher never brings back an app
     * someone removed.
     */
    private Uni<IntakeDecision> acceptImageUpdate(
            Tx tx, IncomingRequest record, Deployment d, DeploymentRequested request) {
        AppRef app = AppRef.of(d);
        return rows.latestOfAppBut(tx.connection, app, d.id)
                .flatMap(before -> rows.newest(tx.connection, app).flatMap(from -> {
                    if (from == null || before == null || before.action == DeploymentAction.DELETE) {
                        Violation refused = new Violation(
                                "app",
                                NOT_DEPLOYED,
                                from == null || before == null
                                        ? "the app has no revision whose image could be updated"
                                        : "the app was undeployed; deploy it again to update its image");
                        return deadLetter(tx, record, List.of(refused), null).call(() -> fail(tx, d, List.of(refused)));
                    }
                    return claimHost(
                            tx, record, d, specStore.masked(from), () -> imageUpdate(tx, d, from, request.image()));
                }));
    }

    private Uni<IntakeDecision> imageUpdate(Tx tx, Deployment d, Revision from, String image) {
        return rows.nextNumber(tx.connection, AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            specStore.withImage(from, image, revision);
            return enter(
                            tx,
                            d,
                            DeploymentPhase.ACCEPTED,
                            "revision " + from.number + " with image " + image + " accepted as revision " + number)
                    .chain(() -> rows.insert(tx.connection, revision))
                    .chain(() -> accepted(tx, d, revision, null, null));
        });
    }

    /**
     * Claims the spec's Ingress host for the app (releasing the hosts it no longer has), then goes on; a host another
     * app holds, or a reserved one, fails the deployment naming the holder, and so does a host the destinations of
     * the app's namespace do not give it (for applies and rollbacks alike, from either door).
     */
    private Uni<IntakeDecision> claimHost(
            Tx tx,
            IncomingRequest record,
            Deployment d,
            AppSpec spec,
            java.util.function.Supplier<Uni<IntakeDecision>> next) {
        String host = spec.ingress() == null ? null : spec.ingress().host();
        if (host == null) {
            return claimFree(tx, record, d, null, next);
        }
        return connections
                .get(AppRef.of(d).orchestratorRef())
                .map(connection -> {
                    AccessPolicy.requireMayUseHost(connection, d.namespace, host);
                    return (NotAllowedException) null;
                })
                // a gone orchestrator fails the deployment in the pipeline, with its own reason
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithNull()
                .onFailure(NotAllowedException.class)
                .recoverWithItem(failure -> (NotAllowedException) failure)
                .flatMap(refused -> {
                    if (refused == null) {
                        return claimFree(tx, record, d, host, next);
                    }
                    List<Violation> reason =
                            List.of(new Violation(refused.field(), RequestTrust.FORBIDDEN, refused.getMessage()));
                    return deadLetter(tx, record, reason, null).call(() -> fail(tx, d, reason));
                });
    }

    /** Claims the host (null: releases the app's hosts) unless another app holds it or it is reserved. */
    private Uni<IntakeDecision> claimFree(
            Tx tx,
            IncomingRequest record,
            Deployment d,
            String host,
            java.util.function.Supplier<Uni<IntakeDecision>> next) {
        return hosts.claim(tx.connection, AppRef.of(d), host)
                .replaceWith((HostClaimedException) null)
                .onFailure(HostClaimedException.class)
                .recoverWithItem(failure -> (HostClaimedException) failure)
                .flatMap(refused -> {
                    if (refused == null) {
                        return next.get();
                    }
                    List<Violation> reason =
                            List.of(new Violation("spec.ingress.host", HOST_CLAIMED, refused.getMessage()));
                    return deadLetter(tx, record, reason, null).call(() -> fail(tx, d, reason));
                });
    }

    private Uni<IntakeDecision> deadLetter(
            Tx tx, IncomingRequest record, List<Violation> reason, RejectedRequest known) {
        Instant now = Instant.now();
        Uni<Void> failed = known == null || known.deploymentId() == null
                ? Uni.createFrom().voidItem()
                : moves.lock(tx.connection, known.deploymentId()).flatMap(d -> {
                    if (d != null) {
                        return d.phase.isFinal() || !known.isRequestOf(d)
                                ? Uni.createFrom().voidItem()
                                : fail(tx, d, reason);
                    }
                    if (!known.appKnown() || !known.authenticated()) {
                        return Uni.createFrom().voidItem();
                    }
                    var status = new DeploymentStatusChanged(
                            known.deploymentId(),
                            known.orchestrator(),
                            known.namespace(),
                            known.app(),
                            DeploymentPhase.FAILED,
                            PhaseLog.fit(rejection(reason)),
                            null,
                            List.of(),
                            now);
                    if (!EventValidator.check(EventType.DEPLOYMENT_STATUS, status)
                            .isEmpty()) {
                        // names that cannot key a status event (not DNS labels): the dead letter says it all
                        return Uni.createFrom().voidItem();
                    }
                    return outbox.append(
                            tx.connection,
                            EventEnvelope.of(
                                    EventType.DEPLOYMENT_STATUS,
                                    UUID.randomUUID(),
                                    CloudEventHeaders.SOURCE_DEPLOYER,
                                    status));
                });
        return outbox.appendDeadLetter(tx.connection, record, reason, now)
                .chain(() -> failed)
                .replaceWith(new IntakeDecision.DeadLettered(rejection(reason)));
    }

    private Uni<Void> fail(Tx tx, Deployment d, List<Violation> reason) {
        return enter(tx, d, DeploymentPhase.FAILED, rejection(reason));
    }

    /**
     * Enters {@code phase}: the row, its history entry and its status event. A new deployment's row is stored here,
     * with its first phase, the others' updated ({@link GuardedMoves#enter}).
     */
    private Uni<Void> enter(Tx tx, Deployment d, DeploymentPhase phase, String text) {
        if (tx.unsaved != d) {
            return moves.enter(tx.connection, d, phase, text, List.of());
        }
        tx.unsaved = null;
        DeploymentState before = d.phase;
        Instant lastChange = d.updatedAt;
        d.phase = DeploymentState.of(phase);
        d.message = PhaseLog.fit(text);
        d.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return rows.insert(tx.connection, d)
                .chain(() -> phases.entered(tx.connection, d, before, lastChange, phase, List.of()));
    }

    private static Deployment unsaved(Tx tx, Deployment d) {
        tx.unsaved = d;
        return d;
    }

    /**
     * The decision for {@code d}, ACCEPTED in this transaction: when nothing of its app is waiting to be carried out
     * before it, the same transaction starts it ({@link Transitions#start}) with what the intake has at hand (the
     * revision it stored, the spec with its secret values opened, the objects that spec renders to; each may be null),
     * and the pipeline is handed that work; otherwise it waits in the app's queue as ACCEPTED.
     */
    private Uni<IntakeDecision> accepted(Tx tx, Deployment d, Revision revision, AppSpec opened, RenderedApp objects) {
        AppRef app = AppRef.of(d);
        return rows.anyWaiting(tx.connection, app, d.id)
                .flatMap(waiting -> waiting
                        ? Uni.createFrom().item(new IntakeDecision.Accepted(d.id, d.appKey(), null))
                        : moves.lockOthersOfApp(tx.connection, app, PROGRESSING, d.id)
                                .flatMap(progressing ->
                                        transitions.start(tx.connection, d, progressing, revision, opened, objects))
                                .map(work -> new IntakeDecision.Accepted(d.id, d.appKey(), work)));
    }

    /** The processed-event id of an accepted record: a name-based UUID of its event id and what it asks for. */
    static UUID claimId(UUID eventId, UUID deploymentId, String digest) {
        return UUID.nameUUIDFromBytes(
                (eventId + "|" + deploymentId + "|" + digest).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Uni<Boolean> claim(Tx tx, UUID eventId) {
        return rows.claim(tx.connection, eventId, EventType.DEPLOYMENT_REQUESTED.name(), Instant.now());
    }

    /** A message for people: the first few violations, each with its path and rule. */
    static String rejection(List<Violation> reason) {
        String listed = reason.stream()
                .limit(REASONS_IN_MESSAGE)
                .map(Violation::toString)
                .collect(Collectors.joining("; "));
        int more = reason.size() - REASONS_IN_MESSAGE;
        return "rejected: " + listed + (more > 0 ? " (and " + more + " more)" : "");
    }

    /** Whether a record without a token is the request of the PENDING deployment the API stored. */
    private static boolean storedByApi(Deployment d, DeploymentRequested r, String digest) {
        if (d == null || d.phase != DeploymentState.PENDING) {
            return false;
        }
        // rows stored before the digest column: compared field by field, as before
        return d.requestDigest != null ? d.requestDigest.equals(digest) : sameTarget(d, r);
    }

    /** Whether a request names a PENDING deployment with exactly its content and its requester. */
    private static boolean sameRequest(Deployment d, DeploymentRequested r, String digest, Caller requester) {
        return d.requestedBySubject.equals(requester.subject())
                && (d.requestDigest != null ? d.requestDigest.equals(digest) : sameTarget(d, r));
    }

    private static boolean sameTarget(Deployment d, DeploymentRequested r) {
        return d.action == r.action()
                && (r.orchestrator().equals(d.orchestrator)
                        || r.orchestrator().equals(String.valueOf(d.orchestratorId)))
                && d.namespace.equals(r.namespace())
                && d.app.equals(r.app())
                && Objects.equals(d.targetRevision, r.targetRevision())
                && Objects.equals(d.image, r.image());
    }

    private static Deployment newDeployment(
            DeploymentRequested r, Caller requester, String digest, ClusterConnection orchestrator) {
        Deployment d = new Deployment();
        d.id = r.deploymentId();
        d.orchestrator = orchestrator.name();
        d.orchestratorId = orchestrator.id();
        d.namespace = r.namespace();
        d.app = r.app();
        d.action = r.action();
        d.targetRevision = r.targetRevision();
        d.image = r.image();
        d.reason = r.reason();
        d.phase = DeploymentState.PENDING;
        // who asked is who the token names: a requester in the payload is not taken
        d.requestedBySubject = requester.subject();
        d.requestedByUsername = requester.username();
        d.requestDigest = digest;
        d.requestedAt = r.requestedAt();
        d.updatedAt = Instant.now();
        return d;
    }

    private static Revision revision(Deployment d, int number) {
        Revision revision = new Revision();
        revision.orchestrator = d.orchestrator;
        revision.orchestratorId = d.orchestratorId;
        revision.namespace = d.namespace;
        revision.app = d.app;
        revision.number = number;
        revision.deploymentId = d.id;
        revision.requestedBySubject = d.requestedBySubject;
        revision.requestedByUsername = d.requestedByUsername;
        revision.createdAt = Instant.now();
        return revision;
    }
}
