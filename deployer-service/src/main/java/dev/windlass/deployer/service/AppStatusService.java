package dev.windlass.deployer.service;

import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.HealthStatus;
import dev.windlass.deployer.kubernetes.LiveObject;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * An app as its cluster has it now: the objects its newest revision recorded, read live and assessed, and the app's
 * health, the worst of every object's and of the Pods under its Deployment (see docs/api.md, "App status").
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
            List<LiveObject> objects) {}

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
                        .flatMap(connection -> cluster.liveObjects(connection, namespace, app, recorded.objects()))
                        .map(live -> of(orchestrator, namespace, app, recorded.revision(), live)));
    }

    static AppStatus of(String orchestrator, String namespace, String app, int revision, List<LiveObject> live) {
        HealthStatus worst = HealthStatus.Healthy;
        for (LiveObject object : live) {
            worst = HealthStatus.worse(worst, object.worst());
        }
        String message = worst == HealthStatus.Healthy ? null : firstIn(live, worst);
        return new AppStatus(orchestrator, namespace, app, revision, worst, message, live);
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
