package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.ProcessedEvent;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.deployer.repository.ProcessedEventRepository;
import dev.windlass.deployer.repository.RevisionRepository;
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
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The transactions of the intake. Each records the event id in {@code processed_events} together with its effect
 * (the accepted deployment, or the dead letter and FAILED status), so a redelivered event changes nothing.
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

    private final ProcessedEventRepository processed;
    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final PhaseLog phases;
    private final Outbox outbox;
    private final SpecStore specStore;
    private final HostClaims hosts;
    private final ConnectionCache connections;

    public IntakeRecorder(
            ProcessedEventRepository processed,
            DeploymentRepository deployments,
            RevisionRepository revisions,
            PhaseLog phases,
            Outbox outbox,
            SpecStore specStore,
            HostClaims hosts,
            ConnectionCache connections) {
        this.processed = processed;
        this.deployments = deployments;
        this.revisions = revisions;
        this.phases = phases;
        this.outbox = outbox;
        this.specStore = specStore;
        this.hosts = hosts;
        this.connections = connections;
    }

    /**
     * Accepts a valid request: stores (or takes over) the deployment, numbers its revision, ACCEPTED. {@code requester}
     * is the caller the record's token names, or null for a record without a token, which is taken only as the request
     * of a PENDING deployment the API stored with the same digest (the API checked its caller then). {@code spec} is
     * the request's spec with its secret values opened.
     */
    @WithTransaction
    @WakesOutboxRelay
    public Uni<IntakeDecision> accept(
            IncomingRequest record, EventEnvelope<DeploymentRequested> event, AppSpec spec, Caller requester) {
        DeploymentRequested request = event.data();
        String digest = RequestDigest.of(request);
        // the claim is this record's own: its event id together with what it asks for, so another record reusing a
        // waiting record's event id can neither make it a duplicate nor be taken for it
        UUID claimId = claimId(event.id(), request.deploymentId(), digest);
        return deployments.lock(request.deploymentId()).flatMap(existing -> {
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
                return processed
                        .findById(claimId)
                        .flatMap(seen -> seen != null
                                ? Uni.createFrom().item(new IntakeDecision.Duplicate())
                                : deadLetter(record, reason, null));
            }
            return claim(claimId).flatMap(first -> {
                if (!first) {
                    return Uni.createFrom().item(new IntakeDecision.Duplicate());
                }
                if (existing != null) {
                    return carryOn(record, existing, request, spec);
                }
                // a request names its orchestrator by id or name; the deployment keeps both, by the registry's word
                return connections
                        .get(request.orchestrator())
                        .map(connection -> newDeployment(request, requester, digest, connection))
                        .onFailure(OrchestratorNotFoundException.class)
                        .recoverWithNull()
                        .flatMap(d -> d == null
                                ? deadLetter(
                                        record,
                                        List.of(new Violation(
                                                "orchestrator", UNKNOWN_ORCHESTRATOR, "no orchestrator has this name")),
                                        null)
                                : deployments.persist(d).chain(() -> carryOn(record, d, request, spec)));
            });
        });
    }

    private Uni<IntakeDecision> carryOn(
            IncomingRequest record, Deployment d, DeploymentRequested request, AppSpec spec) {
        return switch (request.action()) {
            case APPLY -> claimHost(record, d, spec, () -> acceptApply(d, spec));
            case ROLLBACK -> acceptRollback(record, d, request);
            case UPDATE_IMAGE -> acceptImageUpdate(record, d, request);
            case DELETE ->
                hosts.release(AppRef.of(d), null)
                        .chain(() -> phases.enter(d, DeploymentPhase.ACCEPTED, "undeploy accepted", List.of()))
                        .replaceWith(accepted(d));
        };
    }

    /** Rejects a request for good: the dead letter, and FAILED for the deployment when it can be named. */
    @WithTransaction
    @WakesOutboxRelay
    public Uni<IntakeDecision> reject(IncomingRequest record, List<Violation> reason, RejectedRequest known) {
        Uni<Boolean> first = known.eventId() == null ? Uni.createFrom().item(true) : claim(known.eventId());
        return first.flatMap(isFirst ->
                isFirst ? deadLetter(record, reason, known) : Uni.createFrom().item(new IntakeDecision.Duplicate()));
    }

    private Uni<IntakeDecision> acceptApply(Deployment d, AppSpec spec) {
        return revisions.nextNumber(AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            specStore.store(spec, revision);
            return revisions
                    .persist(revision)
                    .chain(() -> phases.enter(d, DeploymentPhase.ACCEPTED, "accepted as revision " + number, List.of()))
                    .replaceWith(accepted(d));
        });
    }

    private Uni<IntakeDecision> acceptRollback(IncomingRequest record, Deployment d, DeploymentRequested request) {
        int target = request.targetRevision();
        return revisions.findNumber(AppRef.of(d), target).flatMap(from -> {
            if (from == null) {
                Violation unknown =
                        new Violation("targetRevision", UNKNOWN_REVISION, "the app has no revision " + target);
                return deadLetter(record, List.of(unknown), null).call(() -> fail(d, List.of(unknown)));
            }
            return claimHost(record, d, specStore.masked(from), () -> rollbackTo(d, from, target));
        });
    }

    private Uni<IntakeDecision> rollbackTo(Deployment d, Revision from, int target) {
        return revisions.nextNumber(AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            revision.rolledBackFrom = target;
            revision.spec = from.spec;
            revision.sealedSecretEnv = from.sealedSecretEnv;
            return revisions
                    .persist(revision)
                    .chain(() -> phases.enter(
                            d,
                            DeploymentPhase.ACCEPTED,
                            "rollback to revision " + target + " accepted as revision " + number,
                            List.of()))
                    .replaceWith(accepted(d));
        });
    }

    /**
     * Takes the app's newest revision with the request's image as the next revision; refused (dead letter, FAILED)
     * when the app has no revision or its last deployment undeployed it: an image watcher never brings back an app
     * someone removed.
     */
    private Uni<IntakeDecision> acceptImageUpdate(IncomingRequest record, Deployment d, DeploymentRequested request) {
        AppRef app = AppRef.of(d);
        return deployments
                .latestOfAppBut(app, d.id)
                .flatMap(before -> revisions.newest(app).flatMap(from -> {
                    if (from == null || before == null || before.action == DeploymentAction.DELETE) {
                        Violation refused = new Violation(
                                "app",
                                NOT_DEPLOYED,
                                from == null || before == null
                                        ? "the app has no revision whose image could be updated"
                                        : "the app was undeployed; deploy it again to update its image");
                        return deadLetter(record, List.of(refused), null).call(() -> fail(d, List.of(refused)));
                    }
                    return claimHost(record, d, specStore.masked(from), () -> imageUpdate(d, from, request.image()));
                }));
    }

    private Uni<IntakeDecision> imageUpdate(Deployment d, Revision from, String image) {
        return revisions.nextNumber(AppRef.of(d)).flatMap(number -> {
            d.revision = number;
            Revision revision = revision(d, number);
            specStore.withImage(from, image, revision);
            return revisions
                    .persist(revision)
                    .chain(() -> phases.enter(
                            d,
                            DeploymentPhase.ACCEPTED,
                            "revision " + from.number + " with image " + image + " accepted as revision " + number,
                            List.of()))
                    .replaceWith(accepted(d));
        });
    }

    /**
     * Claims the spec's Ingress host for the app (releasing the hosts it no longer has), then goes on; a host another
     * app holds, or a reserved one, fails the deployment naming the holder, and so does a host the destinations of
     * the app's namespace do not give it (for applies and rollbacks alike, from either door).
     */
    private Uni<IntakeDecision> claimHost(
            IncomingRequest record, Deployment d, AppSpec spec, java.util.function.Supplier<Uni<IntakeDecision>> next) {
        String host = spec.ingress() == null ? null : spec.ingress().host();
        if (host == null) {
            return claimFree(record, d, null, next);
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
                        return claimFree(record, d, host, next);
                    }
                    List<Violation> reason =
                            List.of(new Violation(refused.field(), RequestTrust.FORBIDDEN, refused.getMessage()));
                    return deadLetter(record, reason, null).call(() -> fail(d, reason));
                });
    }

    /** Claims the host (null: releases the app's hosts) unless another app holds it or it is reserved. */
    private Uni<IntakeDecision> claimFree(
            IncomingRequest record, Deployment d, String host, java.util.function.Supplier<Uni<IntakeDecision>> next) {
        return hosts.claim(AppRef.of(d), host)
                .replaceWith((HostClaimedException) null)
                .onFailure(HostClaimedException.class)
                .recoverWithItem(failure -> (HostClaimedException) failure)
                .flatMap(refused -> {
                    if (refused == null) {
                        return next.get();
                    }
                    List<Violation> reason =
                            List.of(new Violation("spec.ingress.host", HOST_CLAIMED, refused.getMessage()));
                    return deadLetter(record, reason, null).call(() -> fail(d, reason));
                });
    }

    private Uni<IntakeDecision> deadLetter(IncomingRequest record, List<Violation> reason, RejectedRequest known) {
        Instant now = Instant.now();
        Uni<Void> failed = known == null || known.deploymentId() == null
                ? Uni.createFrom().voidItem()
                : deployments.lock(known.deploymentId()).flatMap(d -> {
                    if (d != null) {
                        return d.phase.isFinal() || !known.isRequestOf(d)
                                ? Uni.createFrom().voidItem()
                                : fail(d, reason);
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
                    return outbox.append(EventEnvelope.of(
                            EventType.DEPLOYMENT_STATUS, UUID.randomUUID(), CloudEventHeaders.SOURCE_DEPLOYER, status));
                });
        return outbox.appendDeadLetter(record, reason, now)
                .chain(() -> failed)
                .replaceWith(new IntakeDecision.DeadLettered(rejection(reason)));
    }

    private Uni<Void> fail(Deployment d, List<Violation> reason) {
        return phases.enter(d, DeploymentPhase.FAILED, rejection(reason), List.of());
    }

    /** The processed-event id of an accepted record: a name-based UUID of its event id and what it asks for. */
    static UUID claimId(UUID eventId, UUID deploymentId, String digest) {
        return UUID.nameUUIDFromBytes(
                (eventId + "|" + deploymentId + "|" + digest).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Uni<Boolean> claim(UUID eventId) {
        return processed.claim(ProcessedEvent.of(eventId, EventType.DEPLOYMENT_REQUESTED.name(), Instant.now()));
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

    private static IntakeDecision accepted(Deployment d) {
        return new IntakeDecision.Accepted(d.id, d.appKey());
    }
}
