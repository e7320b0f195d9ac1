package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.RolloutState;
import dev.windlass.deployer.kubernetes.RolloutUpdate;
import dev.windlass.deployer.service.Transitions.Tracked;
import dev.windlass.events.deployment.DeploymentPhase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Follows rollouts in the background, so that waiting for one never holds up the consumer or the app's queue, and
 * records SUCCEEDED or FAILED when the cluster layer reports it (or the deadline passes).
 */
@ApplicationScoped
public class RolloutTracker {

    private static final Logger LOG = Logger.getLogger(RolloutTracker.class);
    private static final Duration LEAST_REMAINING = Duration.ofSeconds(1);

    private final Map<UUID, Cancellable> watching = new ConcurrentHashMap<>();
    private final ClusterOperations cluster;
    private final ConnectionCache connections;
    private final Transitions transitions;
    private final ContextRunner runner;
    private final DeployerConfig.Rollout config;
    private final DeployerConfig.Apply backoff;
    private final Clock clock = Clock.systemUTC();

    public RolloutTracker(
            ClusterOperations cluster,
            ConnectionCache connections,
            Transitions transitions,
            ContextRunner runner,
            DeployerConfig config) {
        this.cluster = cluster;
        this.connections = connections;
        this.transitions = transitions;
        this.runner = runner;
        this.config = config.rollout();
        this.backoff = config.apply();
    }

    /**
     * Starts following the rollout of a PROGRESSING deployment, with what is left of its deadline, through {@code
     * connection}; after a transient failure it follows again with the orchestrator's material fetched anew (a
     * change of that material is one such failure).
     */
    public void track(Tracked d, ClusterConnection connection) {
        Duration elapsed = Duration.between(d.progressingSince(), clock.instant());
        Duration remaining = config.deadline().minus(elapsed);
        Duration deadline = remaining.compareTo(LEAST_REMAINING) < 0 ? LEAST_REMAINING : remaining;
        AtomicReference<ClusterConnection> held = new AtomicReference<>(connection);
        AtomicBoolean first = new AtomicBoolean(true);
        Cancellable subscription = Multi.createFrom()
                .deferred(() -> {
                    Uni<ClusterConnection> material = first.getAndSet(false)
                            ? Uni.createFrom().item(connection)
                            : connections
                                    .current(d.orchestrator(), held)
                                    .onFailure()
                                    .transform(RolloutTracker::asClusterFailure);
                    return material.onItem()
                            .transformToMulti(
                                    c -> cluster.trackRollout(c, d.namespace(), d.app(), d.revision(), deadline));
                })
                .onFailure(RolloutTracker::isTransient)
                .retry()
                .withBackOff(backoff.initialBackoff(), backoff.maxBackoff())
                .atMost(config.maxResubscriptions())
                .select()
                .where(update -> update.state() != RolloutState.PROGRESSING)
                .toUni()
                .subscribe()
                .with(update -> finish(d, update), failure -> finish(d, failed(failure)));
        Cancellable previous = watching.put(d.id(), subscription);
        if (previous != null) {
            previous.cancel();
        }
        LOG.debugf("following the rollout of revision %d of %s/%s", d.revision(), d.namespace(), d.app());
    }

    /** Stops following a deployment's rollout (it was superseded). */
    public void stop(UUID deploymentId) {
        Cancellable subscription = watching.remove(deploymentId);
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** The deployments whose rollout is being followed. */
    public Set<UUID> watching() {
        return Set.copyOf(watching.keySet());
    }

    private void finish(Tracked d, RolloutUpdate update) {
        watching.remove(d.id());
        RolloutUpdate result =
                update != null ? update : new RolloutUpdate(RolloutState.FAILED, "the rollout ended without a result");
        DeploymentPhase phase =
                result.state() == RolloutState.SUCCEEDED ? DeploymentPhase.SUCCEEDED : DeploymentPhase.FAILED;
        String message = result.message() != null && !result.message().isBlank()
                ? result.message()
                : (phase == DeploymentPhase.SUCCEEDED
                        ? "revision " + d.revision() + " is available"
                        : "rollout failed");
        DatabaseOutage.retried(
                        () -> runner.onNewContext(() -> transitions.move(
                                d.id(), Set.of(DeploymentState.PROGRESSING), phase, message, List.of())),
                        // every failure here is the database's, in whatever shape a broken connection leaves it
                        failure -> true,
                        backoff.initialBackoff(),
                        backoff.maxBackoff())
                .subscribe()
                .with(
                        moved -> LOG.debugf(
                                "deployment %s: %s", d.id(), moved == null ? "no longer progressing" : phase),
                        failure -> LOG.errorf(
                                failure,
                                "could not record the rollout result of deployment %s; the recovery sweep follows it"
                                        + " again",
                                d.id()));
    }

    private static RolloutUpdate failed(Throwable failure) {
        String message = failure instanceof ClusterException e
                ? "following the rollout failed: " + e.getMessage()
                : "following the rollout failed unexpectedly; the deployer log has the details";
        if (!(failure instanceof ClusterException)) {
            LOG.error("following a rollout failed", failure);
        }
        return new RolloutUpdate(RolloutState.FAILED, message);
    }

    /** A failure to fetch the material, as the cluster layer's: the registry's absence is transient. */
    private static Throwable asClusterFailure(Throwable failure) {
        return failure instanceof RegistryUnavailableException e
                ? new ClusterException(e.getMessage(), 0, true, e)
                : failure;
    }

    static boolean isTransient(Throwable failure) {
        return failure instanceof ClusterException e && e.transientFailure();
    }
}
