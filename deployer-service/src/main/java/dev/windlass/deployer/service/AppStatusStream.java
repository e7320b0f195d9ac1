package dev.windlass.deployer.service;

import dev.windlass.common.stream.StreamSlots;
import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.LogRequest;
import dev.windlass.deployer.service.AppStatusService.AppStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * An app's status as a stream: the status now, then a new one each time a Deployment or Pod of the app changes in
 * the cluster and the status read after it differs from the last one sent. Changes come from the informer shared by
 * everyone following apps of that namespace ({@link ClusterOperations#changes}); nothing is polled. Changes that
 * arrive together (a rollout touches a Deployment and its Pods within milliseconds) are gathered for {@link #SETTLE}
 * and read once, and while a read is under way only the newest change waits for the next.
 *
 * <p>Like a deployment's phases: who may not read the app is refused (403/404) and a caller with its most streams
 * open gets 429, both before the stream exists; the stream ends after {@code windlass.deployer.api.max-stream-age},
 * when the app is undeployed (or the caller's access is withdrawn), or when the orchestrator's connection changes —
 * an {@code EventSource} reconnects by itself and gets the status again. A read the cluster cannot answer is skipped
 * (the next change tries again).
 */
@ApplicationScoped
public class AppStatusStream {

    /** How long changes are gathered before the status is read. */
    static final Duration SETTLE = Duration.ofMillis(300);

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(AppStatusStream.class);

    private final AppStatusService statuses;
    private final QueryService queries;
    private final ConnectionCache connections;
    private final ClusterOperations cluster;
    private final ContextRunner runner;
    private final StreamSlots slots;
    private final Duration maxAge;

    public AppStatusStream(
            AppStatusService statuses,
            QueryService queries,
            ConnectionCache connections,
            ClusterOperations cluster,
            ContextRunner runner,
            StreamSlots slots,
            DeployerConfig config) {
        this.statuses = statuses;
        this.queries = queries;
        this.connections = connections;
        this.cluster = cluster;
        this.runner = runner;
        this.slots = slots;
        this.maxAge = config.api().maxStreamAge();
    }

    /**
     * The lines a container of one of the app's Pods writes from now on, after its last {@code tailLines} (0–{@link
     * AppStatusService#MAX_TAIL_LINES}, default 0), for {@code caller}, the app's secret values masked. Decided before
     * the stream: the caller may read the app, the Pod is the app's and its container answers (its last line is read;
     * 404/502 as a plain log read), and the caller has a stream left. Ends when the log ends, after {@code
     * max-stream-age}, or after {@code PodLogs.MAX_FOLLOW_BYTES}.
     */
    public Multi<String> log(
            Caller caller,
            String orchestrator,
            String namespace,
            String app,
            String pod,
            String container,
            Integer tailLines) {
        int tail = AppStatusService.tailLines(tailLines, 0, 0);
        AppStatusService.LogSource source = runner.onNewContext(
                        () -> statuses.logSource(caller, orchestrator, namespace, app, pod, container))
                .await()
                .atMost(LOOKUP_TIMEOUT);
        Runnable release = slots.acquire(caller.subject());
        return cluster.followLog(
                        source.connection(),
                        new LogRequest(namespace, app, pod, container, tail, false, source.secretValues()))
                .select()
                .first(maxAge)
                .onTermination()
                .invoke(release);
    }

    /**
     * The app's status now and after each change, for {@code caller}; the access decision and the stream limit are
     * taken before the stream exists (this waits for the database and the registry, so it runs on a worker thread).
     */
    public Multi<AppStatus> of(Caller caller, String orchestrator, String namespace, String app) {
        runner.onNewContext(() -> queries.appObjects(caller, orchestrator, namespace, app))
                .await()
                .atMost(LOOKUP_TIMEOUT);
        ClusterConnection connection =
                runner.onNewContext(() -> connections.get(orchestrator)).await().atMost(LOOKUP_TIMEOUT);
        Runnable release = slots.acquire(caller.subject());
        Multi<String> ticks = Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().item(app), cluster.changes(connection, namespace, app));
        return ticks.onOverflow()
                .dropPreviousItems()
                .onItem()
                .transformToUniAndConcatenate(tick -> Uni.createFrom()
                        .item(tick)
                        .onItem()
                        .delayIt()
                        .by(SETTLE)
                        .flatMap(ignored ->
                                runner.onNewContext(() -> statuses.status(caller, orchestrator, namespace, app)))
                        .onFailure(ClusterReadFailedException.class)
                        .recoverWithItem(e -> {
                            LOG.debugf(
                                    "status of %s/%s/%s not read after a change: %s",
                                    orchestrator, namespace, app, e.getMessage());
                            return null;
                        }))
                .skip()
                .repetitions()
                .onFailure(e -> e instanceof NotFoundException || e instanceof NotAllowedException)
                .recoverWithCompletion()
                .select()
                .first(maxAge)
                .onTermination()
                .invoke(release);
    }
}
