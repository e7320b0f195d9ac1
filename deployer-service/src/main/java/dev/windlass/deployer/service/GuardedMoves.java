package dev.windlass.deployer.service;

import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What happens to a deployment after the intake, as plain statements on the reactive client: {@code begin}'s
 * transaction ({@link #lock}, {@link #lockOthersOfApp}, {@link #enter}, the revision and its objects) and every move
 * as one guarded statement ({@link #move}: the row moves only while it is in one of the phases the move starts from,
 * and the statement takes the row's lock, as a {@code select … for update} would). A history entry and a status event
 * are written in the same transaction as each move. No ORM session, entity load or flush: every deploy goes through
 * these steps (docs/decisions.md, "less work per deploy").
 */
@ApplicationScoped
public class GuardedMoves {

    /** The columns of a deployment, as {@link #deployment} reads them. */
    static final String COLUMNS = "id, orchestrator, orchestrator_id, namespace, app, action, phase, message,"
            + " revision, target_revision, image, reason, requested_by_subject, requested_by_username, requested_at,"
            + " updated_at, request_digest, idempotency_key, request_hash";

    /** The columns of a revision, as {@link #revision} reads them. */
    static final String REVISION_COLUMNS = "id, orchestrator, orchestrator_id, namespace, app, number,"
            + " deployment_id, rolled_back_from, spec, sealed_secret_env, object_refs, requested_by_subject,"
            + " requested_by_username, created_at";

    /** The move and, for its metrics and status event, the row as it was and as it is after. */
    private static final String MOVE = "with before as (select id, phase, updated_at from deployments where id = $1"
            + " and phase = any($2) for update)"
            + " update deployments d set phase = $3, message = $4, updated_at = $5 from before where d.id = before.id"
            + " returning before.phase as phase_before, before.updated_at as updated_before, "
            + prefixed("d.");

    /**
     * The rows of an orchestrator, parameters 1 (its id) and 2 (its name): by id, and by name for rows older than the
     * id. The casts let either parameter be null.
     */
    static final String OF_ORCHESTRATOR =
            "(orchestrator_id = cast($1 as uuid) or (orchestrator_id is null and orchestrator = cast($2 as text)))";

    /** An app's rows, as {@link AppRef#where} selects them: {@link #OF_ORCHESTRATOR}, namespace $3 and app $4. */
    static final String OF_APP = OF_ORCHESTRATOR + " and namespace = $3 and app = $4";

    private final Pool pool;
    private final PhaseLog phases;

    public GuardedMoves(Pool pool, PhaseLog phases) {
        this.pool = pool;
        this.phases = phases;
    }

    /**
     * Moves the deployment to {@code to} if it is in one of {@code from}, in one transaction with its history entry
     * and status event; the deployment after the move (not managed by any session), or null when it was elsewhere.
     */
    public Uni<Deployment> move(
            UUID id, Set<DeploymentState> from, DeploymentPhase to, String text, List<ObjectRef> objects) {
        String message = PhaseLog.fit(text);
        // what PostgreSQL keeps of a time: the row and the status event say the same
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String[] states = from.stream().map(Enum::name).toArray(String[]::new);
        Tuple parameters = Tuple.of(id, states, DeploymentState.of(to).name(), message, Sql.timestamp(now));
        return pool.withTransaction(connection -> connection
                .preparedQuery(MOVE)
                .execute(parameters)
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    Deployment d = deployment(row);
                    DeploymentState before = DeploymentState.valueOf(row.getString("phase_before"));
                    Instant lastChange = Sql.instant(row.getOffsetDateTime("updated_before"));
                    return phases.entered(connection, d, before, lastChange, to, objects)
                            .replaceWith(d);
                }));
    }

    /** Runs {@code work} in one transaction on a connection of the pool; the connection is given back after. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** The deployment, row-locked until the transaction ends; null when there is none. */
    public Uni<Deployment> lock(SqlConnection connection, UUID id) {
        return connection
                .preparedQuery("select " + COLUMNS + " from deployments where id = $1 for update")
                .execute(Tuple.of(id))
                .map(rows ->
                        rows.size() == 0 ? null : deployment(rows.iterator().next()));
    }

    /** The app's deployments in one of {@code states} other than {@code except}, row-locked, oldest request first. */
    public Uni<List<Deployment>> lockOthersOfApp(
            SqlConnection connection, AppRef app, Set<DeploymentState> states, UUID except) {
        String[] phases = states.stream().map(Enum::name).toArray(String[]::new);
        return connection
                .preparedQuery("select " + COLUMNS + " from deployments where " + OF_APP
                        + " and phase = any($5) and id <> $6 order by requested_at, id for update")
                .execute(Tuple.tuple(Arrays.asList(
                        app.orchestratorId(), app.orchestrator(), app.namespace(), app.app(), phases, except)))
                .map(rows -> {
                    List<Deployment> locked = new ArrayList<>();
                    rows.forEach(row -> locked.add(deployment(row)));
                    return locked;
                });
    }

    /**
     * Enters {@code phase} for a deployment this transaction has locked ({@link #lock}, {@link #lockOthersOfApp}): the
     * row (its revision too, which the intake numbers), its history entry and its status event; {@code d} is brought
     * up to date.
     */
    public Uni<Void> enter(
            SqlConnection connection, Deployment d, DeploymentPhase phase, String text, List<ObjectRef> objects) {
        DeploymentState before = d.phase;
        Instant lastChange = d.updatedAt;
        String message = PhaseLog.fit(text);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return connection
                .preparedQuery(
                        "update deployments set phase = $2, message = $3, updated_at = $4, revision = $5 where id = $1")
                .execute(Tuple.of(d.id, DeploymentState.of(phase).name(), message, Sql.timestamp(now), d.revision))
                .flatMap(updated -> {
                    d.phase = DeploymentState.of(phase);
                    d.message = message;
                    d.updatedAt = now;
                    return phases.entered(connection, d, before, lastChange, phase, objects);
                });
    }

    /** The revision a deployment applies (its number, spec, sealed secret values and recorded objects); or null. */
    public Uni<Revision> revisionOf(SqlConnection connection, UUID deploymentId) {
        return connection
                .preparedQuery("select " + REVISION_COLUMNS + " from revisions where deployment_id = $1 limit 1")
                .execute(Tuple.of(deploymentId))
                .map(rows -> rows.size() == 0 ? null : revision(rows.iterator().next()));
    }

    /** The revision a row of {@link #REVISION_COLUMNS} holds. */
    static Revision revision(Row row) {
        Revision r = new Revision();
        r.id = row.getLong("id");
        r.orchestrator = row.getString("orchestrator");
        r.orchestratorId = row.getUUID("orchestrator_id");
        r.namespace = row.getString("namespace");
        r.app = row.getString("app");
        r.number = row.getInteger("number");
        r.deploymentId = row.getUUID("deployment_id");
        r.rolledBackFrom = row.getInteger("rolled_back_from");
        r.spec = row.getString("spec");
        r.sealedSecretEnv = row.getString("sealed_secret_env");
        r.objectRefs = row.getString("object_refs");
        r.requestedBySubject = row.getString("requested_by_subject");
        r.requestedByUsername = row.getString("requested_by_username");
        r.createdAt = Sql.instant(row.getOffsetDateTime("created_at"));
        return r;
    }

    /**
     * The distinct object-ref records of the app's revisions (JSON arrays, see {@link Revision#objectRefs}); a null
     * among them stands for revisions whose objects are unknown.
     */
    public Uni<List<String>> objectRefsOfApp(SqlConnection connection, AppRef app) {
        return connection
                .preparedQuery("select distinct object_refs from revisions where " + OF_APP)
                .execute(Tuple.tuple(
                        Arrays.asList(app.orchestratorId(), app.orchestrator(), app.namespace(), app.app())))
                .map(rows -> {
                    List<String> lists = new ArrayList<>();
                    rows.forEach(row -> lists.add(row.getString(0)));
                    return lists;
                });
    }

    /** Records the objects revision {@code id} applies or tries to apply. */
    public Uni<Void> recordObjectRefs(SqlConnection connection, long revisionId, String objectRefs) {
        return connection
                .preparedQuery("update revisions set object_refs = $2 where id = $1")
                .execute(Tuple.of(revisionId, objectRefs))
                .replaceWithVoid();
    }

    private static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    /** The deployment a row of {@link #MOVE} or {@link #COLUMNS} returns. */
    static Deployment deployment(Row row) {
        Deployment d = new Deployment();
        d.id = row.getUUID("id");
        d.orchestrator = row.getString("orchestrator");
        d.orchestratorId = row.getUUID("orchestrator_id");
        d.namespace = row.getString("namespace");
        d.app = row.getString("app");
        d.action = DeploymentAction.valueOf(row.getString("action"));
        d.phase = DeploymentState.valueOf(row.getString("phase"));
        d.message = row.getString("message");
        d.revision = row.getInteger("revision");
        d.targetRevision = row.getInteger("target_revision");
        d.image = row.getString("image");
        d.reason = row.getString("reason");
        d.requestedBySubject = row.getString("requested_by_subject");
        d.requestedByUsername = row.getString("requested_by_username");
        d.requestedAt = Sql.instant(row.getOffsetDateTime("requested_at"));
        d.updatedAt = Sql.instant(row.getOffsetDateTime("updated_at"));
        d.requestDigest = row.getString("request_digest");
        d.idempotencyKey = row.getString("idempotency_key");
        d.requestHash = row.getString("request_hash");
        return d;
    }
}
