package dev.windlass.deployer.repository;

import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.OutboxRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox. The relay's statements run on the plain reactive client, in the relay's transaction (a
 * run per commit under load; docs/benchmarks.md, finding 8); the counts for metrics and health stay on the ORM.
 */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxRecord, Long> {

    /** Advisory lock key of the relay: one replica publishes at a time ("windlass-outbox" as a number). */
    static final long RELAY_LOCK = 0x77696e646c617373L;

    /** The columns of a row, as {@link #row} reads them. */
    private static final String COLUMNS = "id, event_id, topic, record_key, headers, payload, created_at, attempts,"
            + " next_attempt_at, quarantined_at, last_error";

    /**
     * Tries to become the publishing replica for {@code connection}'s transaction: a transaction-scoped advisory
     * lock, released at commit or rollback. False when another replica holds it.
     */
    public Uni<Boolean> tryLeadRelay(SqlConnection connection) {
        return connection
                .preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * The oldest records the relay may publish now, in the order they were written: not quarantined, not waiting
     * after a failed attempt, and with no earlier row of the same key waiting (a key's records go out in order).
     */
    public Uni<List<OutboxRecord>> publishable(SqlConnection connection, int limit, Instant now) {
        return connection
                .preparedQuery("select " + COLUMNS + " from outbox row where row.quarantined_at is null"
                        + " and (row.next_attempt_at is null or row.next_attempt_at <= $1) and not exists ("
                        + "select 1 from outbox earlier where earlier.topic = row.topic"
                        + " and earlier.record_key = row.record_key and earlier.id < row.id"
                        + " and earlier.quarantined_at is null and earlier.next_attempt_at > $1)"
                        + " order by row.id limit $2")
                .execute(Tuple.of(Sql.timestamp(now), limit))
                .map(rows -> {
                    List<OutboxRecord> records = new ArrayList<>(rows.size());
                    rows.forEach(row -> records.add(row(row)));
                    return records;
                });
    }

    /**
     * Records a failed attempt of row {@code id}: it waits until {@code retryAt}, or, when {@code quarantine}, is put
     * aside for good.
     */
    public Uni<Integer> failed(
            SqlConnection connection, long id, String error, Instant retryAt, boolean quarantine, Instant now) {
        return connection
                .preparedQuery("update outbox set attempts = attempts + 1, last_error = $2, next_attempt_at = $3,"
                        + " quarantined_at = $4 where id = $1")
                .execute(Tuple.of(id, error, Sql.timestamp(retryAt), quarantine ? Sql.timestamp(now) : null))
                .map(SqlResult::rowCount);
    }

    /** Deletes the rows with {@code ids} (published); how many were deleted. */
    public Uni<Integer> deleteIds(SqlConnection connection, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection
                .preparedQuery("delete from outbox where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(SqlResult::rowCount);
    }

    private static OutboxRecord row(Row row) {
        OutboxRecord record = new OutboxRecord();
        record.id = row.getLong("id");
        record.eventId = row.getUUID("event_id");
        record.topic = row.getString("topic");
        Buffer key = row.getBuffer("record_key");
        record.recordKey = key == null ? null : key.getBytes();
        record.headers = row.getString("headers");
        record.payload = row.getString("payload");
        record.createdAt = Sql.instant(row.getOffsetDateTime("created_at"));
        record.attempts = row.getInteger("attempts");
        record.nextAttemptAt = Sql.instant(row.getOffsetDateTime("next_attempt_at"));
        record.quarantinedAt = Sql.instant(row.getOffsetDateTime("quarantined_at"));
        record.lastError = row.getString("last_error");
        return record;
    }

    /** How many rows are quarantined. */
    public Uni<Long> quarantined() {
        return count("quarantinedAt is not null");
    }

    /** The rows waiting to be published (not quarantined) and when the oldest of them was written (null if none). */
    public Uni<Backlog> backlog() {
        return getSession()
                .flatMap(session -> session.createSelectionQuery(
                                "select count(*), min(row.createdAt) from OutboxRecord row"
                                        + " where row.quarantinedAt is null",
                                Object[].class)
                        .getSingleResult())
                .map(row -> new Backlog(((Number) row[0]).longValue(), (Instant) row[1]));
    }

    /** Rows waiting to be published, and the oldest one's time. */
    public record Backlog(long rows, Instant oldest) {}

    /** Puts every quarantined row back in line with no attempts counted; the number of rows released. */
    public Uni<Integer> releaseQuarantined() {
        return update("attempts = 0, nextAttemptAt = null, quarantinedAt = null, lastError = null"
                + " where quarantinedAt is not null");
    }
}
