package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.Revision;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * What an app's status and health read of its rows, as plain statements on the reactive client, without an ORM
 * session: each change of each deployed app's health reads them ({@link HealthWatch}), so they are on every deploy's
 * path.
 */
@ApplicationScoped
public class AppRows {

    /** The app's rows an answer about its objects needs: its latest deployment and its revisions that recorded any. */
    public record Recorded(Deployment latest, List<Revision> withObjects) {}

    private static final String LATEST = "select " + GuardedMoves.COLUMNS + " from deployments where "
            + GuardedMoves.OF_APP + " order by requested_at desc, id desc limit 1";

    private static final String WITH_OBJECTS = "select " + GuardedMoves.REVISION_COLUMNS + " from revisions where "
            + GuardedMoves.OF_APP + " and object_refs is not null order by number desc";

    private final Pool pool;

    public AppRows(Pool pool) {
        this.pool = pool;
    }

    /**
     * The app's latest requested deployment (null when it has none) and, newest first, its revisions that recorded
     * objects (none read when it has no deployment), on one connection.
     */
    public Uni<Recorded> recorded(AppRef app) {
        return pool.withConnection(connection -> connection
                .preparedQuery(LATEST)
                .execute(IntakeRows.ofApp(app))
                .flatMap(latest -> {
                    if (latest.size() == 0) {
                        return Uni.createFrom().item(new Recorded(null, List.of()));
                    }
                    Deployment d = GuardedMoves.deployment(latest.iterator().next());
                    return connection
                            .preparedQuery(WITH_OBJECTS)
                            .execute(IntakeRows.ofApp(app))
                            .map(rows -> {
                                List<Revision> revisions = new ArrayList<>();
                                for (Row row : rows) {
                                    revisions.add(GuardedMoves.revision(row));
                                }
                                return new Recorded(d, revisions);
                            });
                }));
    }
}
