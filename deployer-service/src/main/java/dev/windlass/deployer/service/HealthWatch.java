package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.events.app.HealthStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Follows the health of every deployed app, after its rollout too, and publishes each change as an {@code
 * AppHealthChanged} event (docs/events.md): nothing is polled. Each app joins the informers the replica shares per
 * orchestrator and namespace ({@link ClusterOperations#changes}, the same ones the status streams use); a change of
 * one of its Deployments or Pods is left to settle for {@code windlass.deployer.app-health.settle}, then the app's
 * health is read as its status reads it ({@link AppStatusService#health}) and handed to {@link HealthRecorder}, which
 * publishes it only when it differs from the one recorded for the app. Reads go through one queue, at most {@code
 * concurrency} at a time, and an app waits there at most once (a burst of deploys costs one read per app, in turn).
 *
 * <p>Every {@code refresh} the apps followed are brought in line with the deployed ones: newly deployed apps are
 * followed (and read once at once), undeployed ones dropped and their recorded health forgotten. A follow that ends —
 * the orchestrator's connection changed, its namespace could not be watched, the orchestrator is gone — is taken up
 * again at the next refresh, which reads the app once more; an assessment the cluster cannot answer is skipped.
 */
@ApplicationScoped
public class HealthWatch {

    /**
     * Who reads an app's health: a system actor that reads the objects the deployer recorded for deployed apps, never
     * writes. Admin rights because it reads every app.
     */
    public static final Caller READER = new Caller("system:windlass-health", "windlass-health", Set.of(), true);

    private static final Logger LOG = Logger.getLogger(HealthWatch.class);

    private final QueryService queries;
    private final AppStatusService statuses;
    private final HealthRecorder recorder;
    private final ConnectionCache connections;
    private final ClusterOperations cluster;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final DeployerConfig.AppHealth config;
    private final Map<String, Follow> following = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Counter published;
    private final Counter failed;
    private volatile MultiEmitter<? super Follow> queue;
    private Cancellable reads;
    private long timer = -1;

    public HealthWatch(
            QueryService queries,
            AppStatusService statuses,
            HealthRecorder recorder,
            ConnectionCache connections,
            ClusterOperations cluster,
            ContextRunner runner,
            Vertx vertx,
            MeterRegistry meters,
            DeployerConfig config) {
        this.queries = queries;
        this.statuses = statuses;
        this.recorder = recorder;
        this.connections = connections;
        this.cluster = cluster;
        this.runner = runner;
        this.vertx = vertx;
        this.config = config.appHealth();
        this.published = Counter.builder("windlass.app.health.changes")
                .description("Health changes of deployed apps published by this replica")
                .register(meters);
        this.failed = Counter.builder("windlass.app.health.reads.failed")
                .description("Reads of an app's health that failed (the next change or refresh tries again)")
                .register(meters);
        Gauge.builder("windlass.app.health.followed", following, Map::size)
                .description("Deployed apps whose health this replica follows")
                .register(meters);
    }

    void start(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        reads = Multi.createFrom()
                .<Follow>emitter(emitter -> queue = emitter, BackPressureStrategy.BUFFER)
                .onItem()
                .transformToUni(this::assess)
                .merge(Math.max(1, config.concurrency()))
                .subscribe()
                .with(ignored -> {}, failure -> LOG.errorf(failure, "app health reads stopped"));
        timer = vertx.setPeriodic(
                config.refresh().toMillis(),
                ignored -> refresh()
                        .subscribe()
                        .with(
                                count -> {},
                                failure -> LOG.warnf("app health refresh failed: %s", failure.getMessage())));
        refresh()
                .subscribe()
                .with(count -> {}, failure -> LOG.warnf("app health refresh failed: %s", failure.getMessage()));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        following.values().forEach(Follow::end);
        following.clear();
        if (reads != null) {
            reads.cancel();
        }
    }

    /** The keys of the apps followed now (for tests). */
    Set<String> following() {
        return Set.copyOf(following.keySet());
    }

    /**
     * Follows every deployed app not followed yet and stops following the others (forgetting their recorded health);
     * how many apps are followed after it. A refresh while one is under way does nothing.
     */
    Uni<Integer> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return Uni.createFrom().item(following.size());
        }
        Instant started = Instant.now();
        return runner.onNewContext(queries::deployedApps)
                .flatMap(apps -> {
                    Set<String> deployed = new HashSet<>();
                    for (AppRef app : apps) {
                        deployed.add(app.key());
                        Follow follow = new Follow(app);
                        if (following.putIfAbsent(app.key(), follow) == null) {
                            start(follow);
                        }
                    }
                    List<Follow> gone = following.values().stream()
                            .filter(f -> !deployed.contains(f.app.key()))
                            .toList();
                    gone.forEach(f -> {
                        following.remove(f.app.key(), f);
                        f.end();
                    });
                    return runner.onNewContext(() -> recorder.forgetAllBut(deployed, started))
                            .replaceWith(following.size());
                })
                .onTermination()
                .invoke(() -> refreshing.set(false));
    }

    private void start(Follow follow) {
        AppRef app = follow.app;
        follow.subscription = runner.onNewContext(() -> connections.get(app.orchestratorRef()))
                .onItem()
                .invoke(connection -> {
                    follow.connection = connection;
                    enqueue(follow);
                })
                .onItem()
                .transformToMulti(connection -> cluster.changes(connection, app.namespace(), app.app()))
                .subscribe()
                .with(
                        change -> enqueue(follow),
                        failure -> {
                            LOG.debugf("following the health of %s ended: %s", app, failure.getMessage());
                            following.remove(app.key(), follow);
                        },
                        () -> following.remove(app.key(), follow));
    }

    /** Puts the app in the read queue after the settle time, unless it waits there already. */
    private void enqueue(Follow follow) {
        if (!follow.queued.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(Math.max(1, config.settle().toMillis()), ignored -> {
            MultiEmitter<? super Follow> to = queue;
            if (to == null || follow.ended) {
                follow.queued.set(false);
                return;
            }
            to.emit(follow);
        });
    }

    private Uni<Void> assess(Follow follow) {
        follow.queued.set(false);
        if (follow.ended || follow.connection == null) {
            return Uni.createFrom().voidItem();
        }
        return runner.onNewContext(() -> statuses.health(READER, follow.connection, follow.app))
                .flatMap(status -> status.health() == follow.last
                        ? Uni.createFrom().item(false)
                        : runner.onNewContext(() -> recorder.record(follow.app, status, Instant.now()))
                                .invoke(recorded -> follow.last = status.health()))
                .invoke(recorded -> {
                    if (recorded) {
                        published.increment();
                    }
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    failed.increment();
                    LOG.debugf("health of %s not read: %s", follow.app, e.getMessage());
                    return null;
                });
    }

    /** One app followed: its subscription to the shared informers and the health this replica saw last. */
    private static final class Follow {
        private final AppRef app;
        private final AtomicBoolean queued = new AtomicBoolean();
        private volatile ClusterConnection connection;
        private volatile HealthStatus last;
        private volatile boolean ended;
        private Cancellable subscription;

        private Follow(AppRef app) {
            this.app = app;
        }

        private void end() {
            ended = true;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
