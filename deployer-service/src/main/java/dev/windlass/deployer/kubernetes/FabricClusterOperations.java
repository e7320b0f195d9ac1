package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link ClusterOperations} on the Fabric8 Kubernetes client: blocking client calls run on a worker pool, at most a
 * configured number at once per orchestrator, retried while they fail transiently.
 */
@ApplicationScoped
public class FabricClusterOperations implements ClusterOperations {

    private static final Logger LOG = Logger.getLogger(FabricClusterOperations.class);

    private final KubernetesSettings settings;
    private final ScheduledExecutorService executor;
    /** Most threads sending the requests of revisions side by side, over all orchestrators. */
    static final int REQUEST_THREADS = 32;

    /**
     * Threads for the requests of one revision sent side by side: a pool of their own, growing as needed up to
     * {@link #REQUEST_THREADS}, so that a revision waiting for its requests never waits for a worker thread that
     * another such revision holds. When all are busy, the revision's own thread sends the request (never a queue to
     * wait in), so the bound costs concurrency, never progress.
     */
    private final ExecutorService requestThreads = new ThreadPoolExecutor(
            0,
            REQUEST_THREADS,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            new ThreadFactory() {
                private final AtomicInteger count = new AtomicInteger();

                @Override
                public Thread newThread(Runnable task) {
                    Thread thread = new Thread(task, "windlass-cluster-request-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }
            },
            new ThreadPoolExecutor.CallerRunsPolicy());

    /** How long a namespace's object cache stays without use (and nobody following its apps) before it stops. */
    static final Duration CACHE_IDLE = Duration.ofMinutes(15);

    private final ClientCache clients;
    private final ObjectCache objects;
    private final AppInformers informers;
    /** One thread per followed log while it is followed (a follow blocks on the log's stream). */
    private final ExecutorService followers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "log-follower");
        thread.setDaemon(true);
        return thread;
    });

    private final ObjectRenderer renderer;
    private final RevisionApplier revisions;
    private final Pruner pruner;
    private final RolloutWatcher rollouts;
    private final Retry retry;
    private final OrchestratorPermits permits;
    private final DriftCheck drift;

    @Inject
    public FabricClusterOperations(KubernetesConfig config, MeterRegistry meters) {
        this(KubernetesSettings.from(config), Infrastructure.getDefaultWorkerPool(), new RequestMetrics(meters));
        objects.meter(meters);
    }

    /** Builds every collaborator from {@code settings}; blocking work runs on {@code executor}. */
    public FabricClusterOperations(KubernetesSettings settings, ScheduledExecutorService executor) {
        this(settings, executor, null);
    }

    /** As above, with every request the clients make shown to {@code requests} (when not null): the request metrics. */
    public FabricClusterOperations(
            KubernetesSettings settings, ScheduledExecutorService executor, Interceptor requests) {
        this.settings = settings;
        this.executor = executor;
        this.clients =
                new ClientCache(new ClientFactory(settings.connectTimeout(), settings.requestTimeout(), requests));
        this.renderer = new ObjectRenderer(settings.ingressControllerNamespace());
        this.objects = new ObjectCache(clients, executor, CACHE_IDLE, settings.requestTimeout());
        ServerSideApplier applier = new ServerSideApplier(settings.fieldManager());
        this.pruner = new Pruner();
        this.permits = new OrchestratorPermits(settings.concurrencyPerOrchestrator(), settings.retryBudget());
        this.revisions = new RevisionApplier(
                new NamespaceKeeper(),
                new MetalLbKeeper(applier, settings.metallbNamespace()),
                applier,
                pruner,
                requestThreads,
                permits,
                objects);
        this.informers = new AppInformers(clients, objects, executor);
        this.retry = new Retry(settings.retryBudget(), settings.initialBackoff(), settings.maxBackoff(), executor);
        this.rollouts = new RolloutWatcher(clients, objects, executor, retry);
        this.drift = new DriftCheck(settings.fieldManager());
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster, String namespace, AppSpec spec, int revision, PruneScope prune) {
        return apply(cluster, namespace, spec, revision, prune, RetryListener.NONE, null);
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster,
            String namespace,
            AppSpec spec,
            int revision,
            PruneScope prune,
            RetryListener listener,
            RenderedApp rendered) {
        return Uni.createFrom().deferred(() -> {
            SpecCheck.requireApplicable(namespace, spec, revision);
            RenderedApp app = rendered != null && rendered.isOf(namespace, spec.name(), revision)
                    ? renderer.onCluster(rendered, cluster.authentikOutpostUrl())
                    : renderer.render(namespace, spec, revision, cluster.authentikOutpostUrl());
            String action =
                    "apply revision " + revision + " of " + namespace + "/" + spec.name() + " on " + cluster.name();
            AtomicReference<KubernetesClient> used = new AtomicReference<>();
            return retry.run(
                            action,
                            () -> blocking(
                                    cluster,
                                    () -> revisions.apply(clients.sameClient(cluster, used), cluster, app, prune)),
                            listener)
                    .invoke(result -> LOG.infof(
                            "%s: %d objects applied, %d pruned",
                            action, result.applied().size(), result.pruned().size()));
        });
    }

    @Override
    public RenderedApp render(String namespace, AppSpec spec, int revision) {
        SpecCheck.requireApplicable(namespace, spec, revision);
        return renderer.render(namespace, spec, revision);
    }

    @Override
    public Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app) {
        return delete(cluster, namespace, app, RetryListener.NONE);
    }

    @Override
    public Uni<List<ObjectRef>> delete(
            ClusterConnection cluster, String namespace, String app, RetryListener listener) {
        return Uni.createFrom().deferred(() -> {
            SpecCheck.requireNamespace(namespace);
            SpecCheck.requireApp(app);
            String action = "delete " + namespace + "/" + app + " on " + cluster.name();
            AtomicReference<KubernetesClient> used = new AtomicReference<>();
            return retry.run(
                            action,
                            () -> blocking(
                                    cluster,
                                    () -> pruner.deleteAll(
                                            clients.sameClient(cluster, used),
                                            ObjectOwnership.owner(cluster, namespace, app),
                                            namespace,
                                            app)),
                            listener)
                    .invoke(deleted -> LOG.infof("%s: %d objects deleted", action, deleted.size()));
        });
    }

    @Override
    public Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom().deferred(() -> {
            SpecCheck.requireNamespace(namespace);
            SpecCheck.requireApp(app);
            return rollouts.track(
                    cluster, namespace, app, revision, deadline == null ? settings.rolloutDeadline() : deadline);
        });
    }

    @Override
    public Uni<List<LiveObject>> liveObjects(
            ClusterConnection cluster, String namespace, String app, List<ObjectRef> refs) {
        return Uni.createFrom()
                .item(() -> {
                    KubernetesClient client = clients.client(cluster);
                    return LiveObjects.read(
                            in -> objects.view(client, cluster.name(), in),
                            ObjectOwnership.owner(cluster, namespace, app),
                            app,
                            refs);
                })
                .runSubscriptionOn(executor);
    }

    @Override
    public Uni<List<ObjectDrift>> drift(ClusterConnection cluster, String namespace, AppSpec spec, int revision) {
        return Uni.createFrom().deferred(() -> {
            SpecCheck.requireApplicable(namespace, spec, revision);
            RenderedApp app = renderer.render(namespace, spec, revision, cluster.authentikOutpostUrl());
            String owner = ObjectOwnership.owner(cluster, namespace, spec.name());
            return Uni.createFrom()
                    .item(() -> drift.check(clients.client(cluster), app, owner))
                    .runSubscriptionOn(executor);
        });
    }

    @Override
    public Uni<String> logs(ClusterConnection cluster, LogRequest request) {
        return Uni.createFrom()
                .item(() -> PodLogs.read(clients.client(cluster), request))
                .runSubscriptionOn(executor);
    }

    @Override
    public Multi<String> followLog(ClusterConnection cluster, LogRequest request) {
        return Multi.createFrom()
                .<String>emitter(emitter -> {
                    AtomicReference<LogWatch> watch = new AtomicReference<>();
                    emitter.onTermination(() -> {
                        LogWatch opened = watch.get();
                        if (opened != null) {
                            opened.close();
                        }
                    });
                    try {
                        PodLogs.follow(
                                clients.client(cluster),
                                request,
                                opened -> {
                                    watch.set(opened);
                                    if (emitter.isCancelled()) {
                                        opened.close();
                                    }
                                },
                                emitter::emit);
                        emitter.complete();
                    } catch (ClusterException e) {
                        emitter.fail(e);
                    }
                })
                .runSubscriptionOn(followers);
    }

    @Override
    public Uni<List<ClusterEvent>> events(
            ClusterConnection cluster,
            String namespace,
            String app,
            List<ObjectRef> refs,
            int limit,
            Collection<String> secretValues) {
        return Uni.createFrom()
                .item(() -> AppEvents.read(clients.client(cluster), namespace, app, refs, limit, secretValues))
                .runSubscriptionOn(executor);
    }

    @Override
    public Multi<String> changes(ClusterConnection cluster, String namespace, String app) {
        return Multi.createFrom().deferred(() -> {
            SpecCheck.requireNamespace(namespace);
            SpecCheck.requireApp(app);
            return informers.changes(cluster, namespace, app);
        });
    }

    @Override
    public void forget(String orchestratorName) {
        clients.forget(orchestratorName);
    }

    /** Closes every cached client. */
    @PreDestroy
    public void close() {
        followers.shutdownNow();
        informers.close();
        objects.close();
        clients.close();
        requestThreads.shutdown();
    }

    /** The cached client of {@code cluster}, for tests. */
    KubernetesClient client(ClusterConnection cluster) {
        return clients.client(cluster);
    }

    /** The namespaces' object cache, for tests that look into it. */
    ObjectCache objects() {
        return objects;
    }

    /** The rollout watcher, for tests that look at its watches. */
    RolloutWatcher rollouts() {
        return rollouts;
    }

    private <T> Uni<T> blocking(ClusterConnection cluster, Supplier<T> work) {
        return Uni.createFrom().item(() -> permits.call(cluster.name(), work)).runSubscriptionOn(executor);
    }
}
