package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.repository.Sql;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.ObjectRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A deployment's moves after the intake as one guarded statement each, on the plain reactive client: the row moves
 * only while it is in one of the phases the move starts from (the statement takes the row's lock, as a {@code select
 * … for update} would), and its history entry and status event are written in the same transaction. No ORM session,
 * entity load or flush: every deploy makes these moves (PROGRESSING, then SUCCEEDED or FAILED), so they are where the
 * ORM's cost per statement counted most (docs/benchmarks.md).
 */
@ApplicationScoped
public class GuardedMoves {

    /** The move and, for its metrics and status event, the row as it was and as it is after. */
    private static final String MOVE = "with before as (select id, phase, updated_at from deployments where id = $1"
            + " and phase = any($2) for update)"
            + " update deployments d set phase = $3, message = $4, updated_at = $5 from before where d.id = before.id"
            + " returning before.phase as phase_before, before.updated_at as updated_before, d.id, d.orchestrator,"
            + " d.orchestrator_id, d.namespace, d.app, d.action, d.phase, d.message, d.revision, d.target_revision,"
            + " d.image, d.reason, d.requested_by_subject, d.requested_by_username, d.requested_at, d.updated_at,"
            + " d.request_digest, d.idempotency_key, d.request_hash";

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

    /** The deployment a row of {@link #MOVE} returns. */
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
