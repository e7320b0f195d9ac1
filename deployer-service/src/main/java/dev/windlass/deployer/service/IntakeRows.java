package dev.windlass.deployer.service;

import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.Revision;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * The intake's statements on the plain reactive client, inside the intake's transaction ({@link IntakeRecorder}):
 * event ids, new deployments, revisions and what the intake reads of an app. Like {@link GuardedMoves}, no ORM
 * session: every deploy request goes through these (docs/decisions.md, "less work per deploy").
 */
@ApplicationScoped
public class IntakeRows {

    /**
     * Records the event id unless it is there already; true when this call recorded it. Concurrent callers with the
     * same id wait on each other, and exactly one of them gets true once the other's transaction is over.
     */
    public Uni<Boolean> claim(SqlConnection connection, UUID eventId, String eventType, Instant at) {
        return connection
                .preparedQuery("insert into processed_events (event_id, event_type, processed_at) values ($1, $2, $3)"
                        + " on conflict do nothing")
                .execute(Tuple.of(eventId, eventType, Sql.timestamp(at)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Whether the event id was processed. */
    public Uni<Boolean> seen(SqlConnection connection, UUID eventId) {
        return connection
                .preparedQuery("select 1 from processed_events where event_id = $1")
                .execute(Tuple.of(eventId))
                .map(rows -> rows.size() > 0);
    }

    /** Stores a new deployment as {@code d} is now. */
    public Uni<Void> insert(SqlConnection connection, Deployment d) {
        return connection
                .preparedQuery("insert into deployments (" + GuardedMoves.COLUMNS + ") values ($1, $2, $3, $4, $5, $6,"
                        + " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)")
                .execute(Tuple.tuple(Arrays.asList(
                        d.id,
                        d.orchestrator,
                        d.orchestratorId,
                        d.namespace,
                        d.app,
                        d.action.name(),
                        d.phase.name(),
                        d.message,
                        d.revision,
                        d.targetRevision,
                        d.image,
                        d.reason,
                        d.requestedBySubject,
                        d.requestedByUsername,
                        Sql.timestamp(d.requestedAt),
                        Sql.timestamp(d.updatedAt),
                        d.requestDigest,
                        d.idempotencyKey,
                        d.requestHash)))
                .replaceWithVoid();
    }

    /** The number the app's next revision gets: one more than its highest, or 1. */
    public Uni<Integer> nextNumber(SqlConnection connection, AppRef app) {
        return connection
                .preparedQuery("select max(number) from revisions where " + GuardedMoves.OF_APP)
                .execute(ofApp(app))
                .map(rows -> {
                    Integer max = rows.iterator().next().getInteger(0);
                    return max == null ? 1 : max + 1;
                });
    }

    /** Stores a new revision; its id is set. */
    public Uni<Void> insert(SqlConnection connection, Revision r) {
        return connection
                .preparedQuery("insert into revisions (orchestrator, orchestrator_id, namespace, app, number,"
                        + " deployment_id, rolled_back_from, spec, sealed_secret_env, object_refs, requested_by_subject,"
                        + " requested_by_username, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                        + " $12, $13) returning id")
                .execute(Tuple.tuple(Arrays.asList(
                        r.orchestrator,
                        r.orchestratorId,
                        r.namespace,
                        r.app,
                        r.number,
                        r.deploymentId,
                        r.rolledBackFrom,
                        r.spec,
                        r.sealedSecretEnv,
                        r.objectRefs,
                        r.requestedBySubject,
                        r.requestedByUsername,
                        Sql.timestamp(r.createdAt))))
                .invoke(rows -> r.id = rows.iterator().next().getLong(0))
                .replaceWithVoid();
    }

    /** The app's revision with this number; null when it has none. */
    public Uni<Revision> revision(SqlConnection connection, AppRef app, int number) {
        return connection
                .preparedQuery("select " + GuardedMoves.REVISION_COLUMNS + " from revisions where "
                        + GuardedMoves.OF_APP + " and number = $5 limit 1")
                .execute(ofApp(app).addInteger(number))
                .map(rows -> rows.size() == 0
                        ? null
                        : GuardedMoves.revision(rows.iterator().next()));
    }

    /** The app's newest revision (highest number); null when it has none. */
    public Uni<Revision> newest(SqlConnection connection, AppRef app) {
        return connection
                .preparedQuery("select " + GuardedMoves.REVISION_COLUMNS + " from revisions where "
                        + GuardedMoves.OF_APP + " order by number desc limit 1")
                .execute(ofApp(app))
                .map(rows -> rows.size() == 0
                        ? null
                        : GuardedMoves.revision(rows.iterator().next()));
    }

    /** The app's latest requested deployment other than {@code except}; null when there is none. */
    public Uni<Deployment> latestOfAppBut(SqlConnection connection, AppRef app, UUID except) {
        return connection
                .preparedQuery("select " + GuardedMoves.COLUMNS + " from deployments where " + GuardedMoves.OF_APP
                        + " and id <> $5 order by requested_at desc, id desc limit 1")
                .execute(ofApp(app).addUUID(except))
                .map(rows -> rows.size() == 0
                        ? null
                        : GuardedMoves.deployment(rows.iterator().next()));
    }

    /**
     * Whether a deployment of the app other than {@code except} waits to be carried out or is being carried out
     * (ACCEPTED or APPLYING, committed). Read without a lock: the pipeline may hold that row while it begins it, and
     * this transaction locking it too could close a circle of waits with that begin.
     */
    public Uni<Boolean> anyWaiting(SqlConnection connection, AppRef app, UUID except) {
        return connection
                .preparedQuery("select 1 from deployments where " + GuardedMoves.OF_APP
                        + " and phase in ('ACCEPTED', 'APPLYING') and id <> $5 limit 1")
                .execute(ofApp(app).addUUID(except))
                .map(rows -> rows.size() > 0);
    }

    /** The parameters of {@link GuardedMoves#OF_APP}. */
    static Tuple ofApp(AppRef app) {
        return Tuple.tuple(Arrays.asList(app.orchestratorId(), app.orchestrator(), app.namespace(), app.app()));
    }
}
