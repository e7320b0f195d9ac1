package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.service.Transitions.Tracked;
import dev.windlass.events.deployment.DeploymentPhase;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Picks up, at startup, the work a stop cut short: accepted deployments go back into their app's queue (in the
 * order they were requested), progressing ones are tracked again with what is left of their deadline. While running,
 * a periodic sweep does the same for unfinished deployments that have stood still with no work under way for them
 * (a state change given up after every retry through a long database outage, say), so that none stays unfinished
 * until the next restart.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final int RESOLVE_ATTEMPTS = 10;

    private final Transitions transitions;
    private final DeploymentPipeline pipeline;
    private final RolloutTracker tracker;
    private final ConnectionCache connections;
    private final ContextRunner runner;
    private final AppQueues queues;
    private final IdentityBackfill backfill;
    private final Vertx vertx;
    private final DeployerConfig.Sweep sweep;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long timer = -1;

    public Recovery(
            Transitions transitions,
            DeploymentPipeline pipeline,
            RolloutTracker tracker,
            ConnectionCache connections,
            ContextRunner runner,
            AppQueues queues,
            IdentityBackfill backfill,
            Vertx vertx,
            DeployerConfig config) {
        this.transitions = transitions;
        this.pipeline = pipeline;
        this.tracker = tracker;
        this.connections = connections;
        this.runner = runner;
        this.queues = queues;
        this.backfill = backfill;
        this.vertx = vertx;
        this.sweep = config.sweep();
    }

    void onStart(@Observes StartupEvent start) {
        // rows older than orchestrator ids get theirs first, so that what is resumed is keyed like everything new
        backfillIds()
                .chain(() -> resume())
                .subscribe()
                .with(
                        count -> LOG.infof("resumed %d unfinished deployment(s)", count),
                        failure -> LOG.error("could not resume unfinished deployments", failure));
        Duration every = sweep.interval();
        if (!every.isZero() && !every.isNegative()) {
            timer = vertx.setPeriodic(every.toMillis(), ignored -> runSweep());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The identity backfill; its failure (the registry away) is logged and left to the next sweep. */
    private Uni<Integer> backfillIds() {
        return backfill.run().onFailure().recoverWithItem(failure -> {
            LOG.warnf("could not give older rows their orchestrator's id yet: %s", failure.getMessage());
            return 0;
        });
    }

    private void runSweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        backfillIds()
                .chain(this::sweep)
                .onTermination()
                .invoke(() -> sweeping.set(false))
                .subscribe()
                .with(
                        count -> {
                            if (count > 0) {
                                LOG.warnf("the recovery sweep took up %d unfinished deployment(s)", count);
                            }
                        },
                        failure -> LOG.warnf(
                                "the recovery sweep failed, the next one tries again: %s", failure.getMessage()));
    }

    /**
     * Takes up the unfinished deployments that have stood still for {@code stuck-after} with no work under way for
     * them: a progressing one nobody follows is followed again; a waiting one (ACCEPTED, APPLYING) that is neither
     * queued nor being carried out, while its app has nothing queued, is queued again, unless a later deployment of
     * its app was carried out meanwhile (then it ends SUPERSEDED). The number taken up.
     */
    public Uni<Integer> sweep() {
        Instant before = Instant.now().minus(sweep.stuckAfter());
        Uni<Integer> takenUp = runner.onNewContext(transitions::unfinished)
                .flatMap(unfinished -> Multi.createFrom()
                        .iterable(unfinished)
                        .select()
                        .where(d -> d.updatedAt.isBefore(before) && nothingUnderWay(d))
                        .onItem()
                        .transformToUniAndConcatenate(this::takeUp)
                        .collect()
                        .asList()
                        .map(List::size));
        return takenUp.flatMap(count -> expireStrandedPending().map(expired -> count + expired));
    }

    /**
     * Ends FAILED the deployments the API stored that have stood PENDING for {@code pending-after} although their
     * request no longer waits in the outbox: it was published and never taken up (refused on the way, or lost), or
     * it was quarantined. Nothing was applied for them, so their event streams end and their callers learn to ask
     * again. A request still waiting in the outbox (a broker outage) is never expired. The number ended.
     */
    Uni<Integer> expireStrandedPending() {
        Duration after = sweep.pendingAfter();
        Instant before = Instant.now().minus(after);
        String message = "the request was not taken up within " + after.toMinutes()
                + " minutes of being made (refused or lost on its way to the deployer, or it could not be"
                + " published); nothing was applied — request it again";
        return runner.onNewContext(() -> transitions.strandedPending(before))
                .flatMap(stranded -> Multi.createFrom()
                        .iterable(stranded)
                        .onItem()
                        .transformToUniAndConcatenate(d -> runner.onNewContext(() -> transitions.move(
                                d.id, Set.of(DeploymentState.PENDING), DeploymentPhase.FAILED, message, List.of())))
                        // a deployment that moved on meanwhile comes back null and is not counted
                        .collect()
                        .asList()
                        .invoke(ended -> ended.forEach(d -> LOG.warnf("deployment %s expired: %s", d.id, message)))
                        .map(List::size));
    }

    private boolean nothingUnderWay(Deployment d) {
        if (d.phase == DeploymentState.PROGRESSING) {
            return !tracker.watching().contains(d.id);
        }
        return !pipeline.inFlight(d.id) && !queues.busy(d.appKey());
    }

    private Uni<Deployment> takeUp(Deployment d) {
        LOG.warnf(
                "deployment %s has stood %s since %s with no work under way; taking it up again",
                d.id, d.phase, d.updatedAt);
        if (d.phase == DeploymentState.PROGRESSING) {
            return resume(d);
        }
        return runner.onNewContext(() -> transitions.stillToCarryOut(d.id))
                .invoke(carryOut -> {
                    if (carryOut) {
                        pipeline.enqueue(d.appKey(), d.id);
                    }
                })
                .replaceWith(d);
    }

    /** Re-queues accepted deployments and re-tracks progressing ones; the number of deployments picked up. */
    public Uni<Integer> resume() {
        return runner.onNewContext(transitions::unfinished)
                .flatMap(unfinished -> Multi.createFrom()
                        .iterable(unfinished)
                        .onItem()
                        .transformToUniAndConcatenate(this::resume)
                        .collect()
                        .asList()
                        .map(List::size));
    }

    private Uni<Deployment> resume(Deployment d) {
        if (d.phase != DeploymentState.PROGRESSING) {
            pipeline.enqueue(d.appKey(), d.id);
            return Uni.createFrom().item(d);
        }
        if (tracker.watching().contains(d.id)) {
            return Uni.createFrom().item(d);
        }
        return Uni.createFrom()
                .deferred(() -> connections.get(AppRef.of(d).orchestratorRef()))
                .onFailure(RegistryUnavailableException.class)
                .retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .atMost(RESOLVE_ATTEMPTS)
                .invoke(connection -> tracker.track(Tracked.of(d), connection))
                .replaceWith(d)
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithUni(e -> runner.onNewContext(() -> transitions.move(
                        d.id, Set.of(DeploymentState.PROGRESSING), DeploymentPhase.FAILED, e.getMessage(), List.of())))
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(failure, "could not resume tracking deployment %s; it stays PROGRESSING", d.id);
                    return d;
                });
    }
}
