package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.ImageUpdateApproval;
import dev.windlass.deployer.domain.PendingImageUpdate;
import dev.windlass.deployer.domain.PendingImageUpdate.Status;
import dev.windlass.deployer.repository.ImageUpdateApprovalRepository;
import dev.windlass.deployer.repository.PendingImageUpdateRepository;
import dev.windlass.deployer.repository.RevisionRepository;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.ApprovalsSpec;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Approvals before an image update (spec {@code imageUpdates.approvals}): an update a policy took waits as a {@link
 * PendingImageUpdate} until {@code count} different members of the named groups approved it — then it is requested
 * like every image update, by the image-update actor, its reason naming the approvers — or until its deadline passes,
 * when it expires and nothing is deployed. The two tables are the audit trail of each decision.
 *
 * <p>Approving needs membership of one of the named groups and nothing else: a release manager may approve for a
 * namespace in which they could not deploy. Reading an app's updates needs what reading its revisions needs.
 */
@ApplicationScoped
public class ImageApprovals {

    private static final Logger LOG = Logger.getLogger(ImageApprovals.class);

    /** How long after its approval an update's own request is left to finish before the sweep makes it. */
    static final Duration UNREQUESTED_GRACE = Duration.ofSeconds(5);

    private final PendingImageUpdateRepository updates;
    private final ImageUpdateApprovalRepository approvals;
    private final RevisionRepository revisions;
    private final ReadScope scope;
    private final RequestService requests;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final Duration sweepInterval;
    private long timer = -1;

    public ImageApprovals(
            PendingImageUpdateRepository updates,
            ImageUpdateApprovalRepository approvals,
            RevisionRepository revisions,
            ReadScope scope,
            RequestService requests,
            ContextRunner runner,
            Vertx vertx,
            DeployerConfig config) {
        this.updates = updates;
        this.approvals = approvals;
        this.revisions = revisions;
        this.scope = scope;
        this.requests = requests;
        this.runner = runner;
        this.vertx = vertx;
        this.sweepInterval = config.imageUpdates().approvalSweepInterval();
    }

    /** An update with its approvals so far. */
    public record Decision(PendingImageUpdate update, List<ImageUpdateApproval> approvals) {}

    void start(@Observes StartupEvent start) {
        if (sweepInterval.isZero() || sweepInterval.isNegative()) {
            return;
        }
        timer = vertx.setPeriodic(
                sweepInterval.toMillis(),
                ignored -> runner.onNewContext(this::expireOverdue)
                        .call(this::requestApprovedUnrequested)
                        .subscribe()
                        .with(
                                expired -> {
                                    if (expired > 0) {
                                        LOG.infof("%d image update(s) expired unapproved", expired);
                                    }
                                },
                                failure -> LOG.warnf("image update expiry failed: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Records that an update waits for approvals, once per app revision and image; the stored update. */
    public Uni<PendingImageUpdate> await(
            AppRef app, int revision, String image, String policy, String reason, ApprovalsSpec spec) {
        return runner.onNewContext(() -> store(app, revision, image, policy, reason, spec))
                // another replica, told of the same push, stored it first
                .onFailure(RequestService::isUniqueViolation)
                .recoverWithUni(() -> runner.onNewContext(() -> found(app, revision, image)));
    }

    @WithTransaction
    Uni<PendingImageUpdate> store(
            AppRef app, int revision, String image, String policy, String reason, ApprovalsSpec spec) {
        return updates.findFor(app, revision, image).flatMap(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            Instant now = Instant.now();
            return updates.pendingOf(app)
                    .invoke(older -> older.forEach(update -> supersede(update, now, "a newer update, " + image)))
                    .chain(() -> updates.persist(pending(app, revision, image, policy, reason, spec, now)));
        });
    }

    private static PendingImageUpdate pending(
            AppRef app, int revision, String image, String policy, String reason, ApprovalsSpec spec, Instant now) {
        PendingImageUpdate update = new PendingImageUpdate();
        update.id = UUID.randomUUID();
        update.orchestratorId = app.orchestratorId();
        update.orchestrator = app.orchestrator();
        update.namespace = app.namespace();
        update.app = app.app();
        update.revision = revision;
        update.image = image;
        update.policy = policy;
        update.reason = reason;
        update.requiredApprovals = spec.count();
        update.approverGroups = String.join("\n", spec.groups());
        update.deadline = now.plus(spec.deadlineDuration());
        update.status = Status.PENDING;
        update.createdAt = now;
        LOG.infof(
                "%s: %s waits for %d approval(s) by %s until %s",
                app.key(), image, update.requiredApprovals, spec.groups(), update.deadline);
        return update;
    }

    private static void supersede(PendingImageUpdate update, Instant now, String by) {
        update.status = Status.SUPERSEDED;
        update.decidedAt = now;
        LOG.infof("%s: image update to %s superseded by %s", update.appRef().key(), update.image, by);
    }

    @WithSession
    Uni<PendingImageUpdate> found(AppRef app, int revision, String image) {
        return updates.findFor(app, revision, image);
    }

    /** The app's updates that waited or wait for approvals, newest first, once the caller may read the app. */
    @WithSession
    public Uni<List<Decision>> ofApp(Caller caller, String orchestrator, String namespace, String app) {
        return scope.readableApp(caller, orchestrator, namespace, app)
                .flatMap(updates::ofApp)
                .flatMap(this::withApprovals);
    }

    /**
     * One approval by the caller. When it is the last one needed, the update is requested and the answer names its
     * deployment. The same person approving again changes nothing.
     *
     * @throws NotAllowedException when the caller is in none of the groups that may approve
     * @throws NotFoundException when the app has no such update
     * @throws ImageUpdateClosedException when the update was approved already, expired, or superseded (by a newer
     *     update, or because the app has a newer revision than the one it was found for)
     */
    public Uni<Decision> approve(Caller caller, String orchestrator, String namespace, String app, UUID id) {
        return runner.onNewContext(() -> record(caller, orchestrator, namespace, app, id))
                .flatMap(recorded -> {
                    PendingImageUpdate update = recorded.decision().update();
                    if (recorded.closed()) {
                        return Uni.createFrom()
                                .failure(new ImageUpdateClosedException("image update " + update.id + " to "
                                        + update.image + " is "
                                        + update.status.name().toLowerCase(java.util.Locale.ROOT)
                                        + "; it takes no approvals"));
                    }
                    return update.status == Status.APPROVED && update.deploymentId == null
                            ? runner.onNewContext(() -> request(recorded.decision()))
                            : Uni.createFrom().item(recorded.decision());
                });
    }

    @WithTransaction
    Uni<Recorded> record(Caller caller, String orchestrator, String namespace, String app, UUID id) {
        return updates.findById(id).flatMap(update -> {
            if (update == null
                    || !update.namespace.equals(namespace)
                    || !update.app.equals(app)
                    || !(orchestrator.equals(update.orchestratorId.toString())
                            || orchestrator.equals(update.orchestrator))) {
                return Uni.createFrom()
                        .failure(new NotFoundException(
                                "app " + namespace + "/" + app + " on " + orchestrator + " has no image update " + id));
            }
            if (Collections.disjoint(caller.groups(), update.groups())) {
                return Uni.createFrom()
                        .failure(new NotAllowedException(
                                "groups",
                                "only members of " + String.join(", ", update.groups())
                                        + " may approve this image update"));
            }
            if (update.status != Status.PENDING) {
                return closed(update);
            }
            if (update.deadline.isBefore(Instant.now())) {
                update.status = Status.EXPIRED;
                update.decidedAt = update.deadline;
                return closed(update);
            }
            return revisions.newest(update.appRef()).flatMap(newest -> {
                if (newest != null && newest.number != update.revision) {
                    // approving it now would take the app back from what was deployed since
                    supersede(update, Instant.now(), "revision " + newest.number);
                    return closed(update);
                }
                return approveNow(caller, update);
            });
        });
    }

    /**
     * An update that takes no approvals any more: the transaction commits what it found (expired or superseded just
     * now) and the refusal is made after it.
     */
    private static Uni<Recorded> closed(PendingImageUpdate update) {
        return Uni.createFrom().item(new Recorded(new Decision(update, List.of()), true));
    }

    /** What recording an approval made: the decision, or that the update takes none. */
    record Recorded(Decision decision, boolean closed) {}

    private Uni<Recorded> approveNow(Caller caller, PendingImageUpdate update) {
        UUID id = update.id;
        return approvals
                .given(id, caller.subject())
                .flatMap(given -> given
                        ? Uni.createFrom().voidItem()
                        : approvals.persistAndFlush(approval(caller, id)).replaceWithVoid())
                .chain(() -> approvals.ofUpdates(List.of(id)))
                .map(all -> {
                    if (all.size() >= update.requiredApprovals) {
                        update.status = Status.APPROVED;
                        update.decidedAt = Instant.now();
                        LOG.infof(
                                "%s: image update to %s approved by %s",
                                update.appRef().key(), update.image, names(all));
                    }
                    return new Recorded(new Decision(update, all), false);
                });
    }

    /** Requests an approved update; its Idempotency-Key is the update, so a retry makes no second deployment. */
    private Uni<Decision> request(Decision decision) {
        PendingImageUpdate update = decision.update();
        String reason = reason(update.reason, decision.approvals());
        return requests.updateImage(
                        ImageUpdates.ACTOR,
                        update.orchestratorId.toString(),
                        update.namespace,
                        update.app,
                        update.image,
                        "image-update/approved/" + update.id,
                        reason)
                .flatMap(submitted -> runner.onNewContext(() -> linked(update.id, submitted.deployment().id)))
                .map(linked -> new Decision(linked, decision.approvals()));
    }

    @WithTransaction
    Uni<PendingImageUpdate> linked(UUID id, UUID deployment) {
        return updates.findById(id).invoke(update -> update.deploymentId = deployment);
    }

    /**
     * Requests every approved update whose request failed after its approval was stored (the database or the queue
     * was away): the sweep tries again until it is requested, with the same Idempotency-Key, so that an approval is
     * never lost and never makes two deployments. One whose app was undeployed since is superseded instead.
     */
    public Uni<Integer> requestApprovedUnrequested() {
        Instant before = Instant.now().minus(UNREQUESTED_GRACE);
        return runner.onNewContext(() -> approvedUnrequested(before))
                .onItem()
                .transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem()
                .transformToUniAndConcatenate(decision -> runner.onNewContext(() -> request(decision))
                        .invoke(requested -> LOG.infof(
                                "%s: approved image update to %s requested again as deployment %s",
                                requested.update().appRef().key(),
                                requested.update().image,
                                requested.update().deploymentId))
                        .replaceWith(1)
                        .onFailure(NotFoundException.class)
                        .recoverWithUni(() -> runner.onNewContext(() -> supersedeUndeployed(decision.update().id))
                                .replaceWith(0))
                        .onFailure()
                        .recoverWithItem(e -> {
                            LOG.warnf(
                                    "%s: approved image update to %s could not be requested yet: %s",
                                    decision.update().appRef().key(), decision.update().image, e.getMessage());
                            return 0;
                        }))
                .collect()
                .asList()
                .map(done -> done.stream().mapToInt(Integer::intValue).sum());
    }

    @WithSession
    Uni<List<Decision>> approvedUnrequested(Instant before) {
        return updates.approvedUnrequested(before).flatMap(this::withApprovals);
    }

    @WithTransaction
    Uni<PendingImageUpdate> supersedeUndeployed(UUID id) {
        return updates.findById(id).invoke(update -> supersede(update, Instant.now(), "the app being undeployed"));
    }

    /** Marks every pending update past its deadline expired; how many. */
    @WithTransaction
    public Uni<Integer> expireOverdue() {
        Instant now = Instant.now();
        return updates.overdue(now).map(overdue -> {
            for (PendingImageUpdate update : overdue) {
                update.status = Status.EXPIRED;
                update.decidedAt = now;
                LOG.infof(
                        "%s: image update to %s expired with too few approvals",
                        update.appRef().key(), update.image);
            }
            return overdue.size();
        });
    }

    private Uni<List<Decision>> withApprovals(List<PendingImageUpdate> list) {
        return approvals.ofUpdates(list.stream().map(u -> u.id).toList()).map(all -> {
            Map<UUID, List<ImageUpdateApproval>> byUpdate =
                    all.stream().collect(Collectors.groupingBy(a -> a.updateId));
            return list.stream()
                    .map(u -> new Decision(u, byUpdate.getOrDefault(u.id, List.of())))
                    .toList();
        });
    }

    private static ImageUpdateApproval approval(Caller caller, UUID id) {
        ImageUpdateApproval approval = new ImageUpdateApproval();
        approval.updateId = id;
        approval.subject = caller.subject();
        approval.username = caller.username();
        approval.approvedAt = Instant.now();
        return approval;
    }

    private static String names(List<ImageUpdateApproval> approvals) {
        return approvals.stream()
                .map(a -> a.username != null ? a.username : a.subject)
                .collect(Collectors.joining(", "));
    }

    private static String reason(String found, List<ImageUpdateApproval> approvals) {
        String reason = found + "; approved by " + names(approvals);
        return reason.length() <= DeploymentRequested.MAX_REASON_LENGTH
                ? reason
                : reason.substring(0, DeploymentRequested.MAX_REASON_LENGTH - 1) + "…";
    }
}
