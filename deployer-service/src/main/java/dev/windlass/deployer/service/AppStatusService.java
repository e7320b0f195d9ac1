package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterEvent;
import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.LiveObject;
import dev.windlass.deployer.kubernetes.LogRequest;
import dev.windlass.deployer.kubernetes.ObjectDrift;
import dev.windlass.deployer.kubernetes.PodLogs;
import dev.windlass.events.app.HealthStatus;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.validation.Rules;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;

/**
 * An app as its cluster has it now: the objects its newest revision recorded, read live and assessed, the app's
 * health, the worst of every object's and of the Pods under its Deployment, and whether the cluster still holds
 * what that revision applies, field for field (see docs/api.md, "App status").
 */
@ApplicationScoped
public class AppStatusService {

    /** The app's live objects and overall health; {@code message} names the first object in the worst state. */
    public record AppStatus(
            String orchestrator,
            String namespace,
            String app,
            int revision,
            HealthStatus health,
            String message,
            List<LiveObject> objects,
            Sync sync) {}

    /** Whether the cluster holds what the revision applies. */
    public enum SyncStatus {
        InSync,
        OutOfSync,
        /** Some object could not be compared and none was found different. */
        Unknown
    }

    /**
     * The app's sync state, the objects that differ (or could not be compared), and whether its revision asks for
     * self-heal ({@link SelfHeal} then puts the cluster back).
     */
    public record Sync(SyncStatus status, List<ObjectDrift> objects, boolean selfHeal) {

        static Sync of(List<ObjectDrift> drifts, boolean selfHeal) {
            SyncStatus status = drifts.isEmpty()
                    ? SyncStatus.InSync
                    : drifts.stream().anyMatch(ObjectDrift::checked) ? SyncStatus.OutOfSync : SyncStatus.Unknown;
            return new Sync(status, drifts, selfHeal);
        }
    }

    /** Lines a log answer holds unless {@code tailLines} says otherwise. */
    public static final int DEFAULT_TAIL_LINES = 200;

    /** The most lines a log answer may ask for. */
    public static final int MAX_TAIL_LINES = 5000;

    /** Events an answer holds unless {@code limit} says otherwise. */
    public static final int DEFAULT_EVENTS = 50;

    /** The most events an answer may ask for. */
    public static final int MAX_EVENTS = 500;

    private final QueryService queries;
    private final ConnectionCache connections;
    private final ClusterOperations cluster;

    public AppStatusService(QueryService queries, ConnectionCache connections, ClusterOperations cluster) {
        this.queries = queries;
        this.connections = connections;
        this.cluster = cluster;
    }

    /** The app's status for a caller who may read its namespace (else not allowed, like its revisions). */
    public Uni<AppStatus> status(Caller caller, String orchestrator, String namespace, String app) {
        return queries.appObjects(caller, orchestrator, namespace, app)
                .flatMap(recorded -> connections
                        .get(orchestrator)
                        .flatMap(connection -> Uni.combine()
                                .all()
                                .unis(
                                        cluster.liveObjects(connection, namespace, app, recorded.objects()),
                                        cluster.drift(connection, namespace, recorded.spec(), recorded.revision())
                                                .onFailure()
                                                .recoverWithItem(e -> List.of(new ObjectDrift(
                                                        "App",
                                                        namespace,
                                                        app,
                                                        List.of(),
                                                        "could not be compared: " + e.getMessage(),
                                                        false))))
                                .asTuple()
                                .map(both -> of(
                                        orchestrator,
                                        namespace,
                                        app,
                                        recorded.revision(),
                                        redacted(both.getItem1(), recorded.spec()),
                                        Sync.of(both.getItem2(), recorded.spec().selfHeal())))))
                .onFailure(ClusterException.class)
                .transform(e -> new ClusterReadFailedException(e.getMessage(), e));
    }

    /**
     * The app's health for {@code reader} as {@link #status} reads it, without comparing the cluster with the
     * revision, on a connection the caller has already; {@code orchestrator} in the answer is the connection's name.
     * For the health events ({@link HealthWatch}).
     */
    public Uni<AppStatus> health(Caller reader, ClusterConnection connection, AppRef app) {
        return queries.appObjects(reader, app.orchestratorRef(), app.namespace(), app.app())
                .flatMap(recorded -> cluster.liveObjects(connection, app.namespace(), app.app(), recorded.objects())
                        .map(live -> of(
                                connection.name(),
                                app.namespace(),
                                app.app(),
                                recorded.revision(),
                                redacted(live, recorded.spec()),
                                null)))
                .onFailure(ClusterException.class)
                .transform(e -> new ClusterReadFailedException(e.getMessage(), e));
    }

    /**
     * The last lines of a container of one of the app's Pods, for a caller who may read the app's namespace: at most
     * {@link #MAX_TAIL_LINES} lines and {@link PodLogs#MAX_BYTES}, every secret value of the app's newest revision
     * masked. Not found when the Pod is not the app's; a cluster that cannot answer is a 502 naming why.
     */
    public Uni<String> logs(
            Caller caller,
            String orchestrator,
            String namespace,
            String app,
            String pod,
            String container,
            Integer tailLines,
            boolean previous) {
        int tail;
        try {
            tail = tailLines(tailLines, 1, DEFAULT_TAIL_LINES);
        } catch (ValidationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        return queries.appObjects(caller, orchestrator, namespace, app)
                .flatMap(recorded -> connections
                        .get(orchestrator)
                        .flatMap(connection -> cluster.logs(
                                connection,
                                new LogRequest(
                                        namespace,
                                        app,
                                        pod,
                                        container,
                                        tail,
                                        previous,
                                        secretValues(recorded.spec())))))
                .onFailure(ClusterException.class)
                .transform(AppStatusService::logReadFailed);
    }

    /**
     * {@code tailLines} as asked ({@code fallback} when absent), between {@code min} and {@link #MAX_TAIL_LINES}; else
     * a validation failure naming {@code tailLines}.
     */
    static int tailLines(Integer tailLines, int min, int fallback) {
        int tail = tailLines == null ? fallback : tailLines;
        if (tail < min || tail > MAX_TAIL_LINES) {
            throw new ValidationFailedException(List.of(
                    new Violation("tailLines", Rules.RANGE, "must be between " + min + " and " + MAX_TAIL_LINES)));
        }
        return tail;
    }

    /** What following a container's log needs: the cluster's connection and the values to mask. */
    public record LogSource(ClusterConnection connection, List<String> secretValues) {}

    /**
     * Decides whether {@code caller} may follow the container's log, as {@link #logs} does, by reading its last line
     * (failing the same ways); what following it needs.
     */
    public Uni<LogSource> logSource(
            Caller caller, String orchestrator, String namespace, String app, String pod, String container) {
        return queries.appObjects(caller, orchestrator, namespace, app)
                .flatMap(recorded -> connections.get(orchestrator).flatMap(connection -> {
                    List<String> secrets = secretValues(recorded.spec());
                    return cluster.logs(connection, new LogRequest(namespace, app, pod, container, 1, false, secrets))
                            .replaceWith(new LogSource(connection, secrets));
                }))
                .onFailure(ClusterException.class)
                .transform(AppStatusService::logReadFailed);
    }

    private static RuntimeException logReadFailed(Throwable e) {
        ClusterException failure = (ClusterException) e;
        return failure.getStatus() == 404
                ? new NotFoundException(failure.getMessage())
                : new ClusterReadFailedException(failure.getMessage(), failure);
    }

    /**
     * The newest {@code limit} (1–{@link #MAX_EVENTS}, default {@link #DEFAULT_EVENTS}) Kubernetes events about the
     * app's objects, Pods and ReplicaSets, for a caller who may read the app's namespace; the app's secret values
     * masked. A cluster that cannot answer is a 502 naming why.
     */
    public Uni<List<ClusterEvent>> events(
            Caller caller, String orchestrator, String namespace, String app, Integer limit) {
        int max = limit == null ? DEFAULT_EVENTS : limit;
        if (max < 1 || max > MAX_EVENTS) {
            return Uni.createFrom()
                    .failure(new ValidationFailedException(
                            List.of(new Violation("limit", Rules.RANGE, "must be between 1 and " + MAX_EVENTS))));
        }
        return queries.appObjects(caller, orchestrator, namespace, app)
                .flatMap(recorded -> connections
                        .get(orchestrator)
                        .flatMap(connection -> cluster.events(
                                connection, namespace, app, recorded.objects(), max, secretValues(recorded.spec()))))
                .onFailure(ClusterException.class)
                .transform(e -> new ClusterReadFailedException(e.getMessage(), e));
    }

    private static List<LiveObject> redacted(List<LiveObject> live, AppSpec spec) {
        List<String> secrets = secretValues(spec);
        return live.stream().map(object -> object.redacted(secrets)).toList();
    }

    /** The app's secret env values, to be masked wherever cluster text reaches a caller. */
    static List<String> secretValues(AppSpec spec) {
        return spec.secretEnv() == null
                ? List.of()
                : spec.secretEnv().values().stream().filter(Objects::nonNull).toList();
    }

    static AppStatus of(
            String orchestrator, String namespace, String app, int revision, List<LiveObject> live, Sync sync) {
        HealthStatus worst = HealthStatus.Healthy;
        for (LiveObject object : live) {
            worst = HealthStatus.worse(worst, object.worst());
        }
        String message = worst == HealthStatus.Healthy ? null : firstIn(live, worst);
        return new AppStatus(orchestrator, namespace, app, revision, worst, message, live, sync);
    }

    /** "Kind name: message" of the first object, depth first, whose own health is {@code status}. */
    private static String firstIn(List<LiveObject> objects, HealthStatus status) {
        for (LiveObject object : objects) {
            if (object.health() != null && object.health().status() == status && !"ReplicaSet".equals(object.kind())) {
                return object.kind() + " " + object.name()
                        + (object.health().message() == null
                                ? ""
                                : ": " + object.health().message());
            }
            String below = firstIn(object.children(), status);
            if (below != null) {
                return below;
            }
        }
        return null;
    }
}
