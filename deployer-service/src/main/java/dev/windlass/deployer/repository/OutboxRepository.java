package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.OutboxRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The transactional outbox. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxRecord, Long> {

    /** Advisory lock key of the relay: one replica publishes at a time ("windlass-outbox" as a number). */
    static final long RELAY_LOCK = 0x77696e646c617373L;

    /**
     * Tries to become the publishing replica for the current transaction: a transaction-scoped advisory lock,
     * released at commit or rollback. False when another replica holds it.
     */
    public Uni<Boolean> tryLeadRelay() {
        return getSession()
                // HQL, not a native query: Hibernate caches a native select's plan under a key that never equals
                // the previous call's, so every relay run added an entry and evicted another (a fifth of the
                // deployer's CPU under load, in JFR); an HQL plan is parsed once and found again
                .flatMap(session -> session.createSelectionQuery(
                                "select cast(function('pg_try_advisory_xact_lock', :lock) as Boolean)", Boolean.class)
                        .setParameter("lock", RELAY_LOCK)
                        .getSingleResult());
    }

    /**
     * The oldest records the relay may publish now, in the order they were written: not quarantined, not waiting
     * after a failed attempt, and with no earlier row of the same key waiting (a key's records go out in order).
     */
    public Uni<List<OutboxRecord>> publishable(int limit, Instant now) {
        return find(
                        "from OutboxRecord row where row.quarantinedAt is null"
                                + " and (row.nextAttemptAt is null or row.nextAttemptAt <= ?1) and not exists ("
                                + "select 1 from OutboxRecord earlier where earlier.topic = row.topic"
                                + " and earlier.recordKey = row.recordKey and earlier.id < row.id"
                                + " and earlier.quarantinedAt is null and earlier.nextAttemptAt > ?1)"
                                + " order by row.id",
                        now)
                .page(0, limit)
                .list();
    }

    /**
     * Records a failed attempt of row {@code id}: it waits until {@code retryAt}, or, when {@code quarantine}, is put
     * aside for good.
     */
    public Uni<Integer> failed(long id, String error, Instant retryAt, boolean quarantine, Instant now) {
        return update(
                "attempts = attempts + 1, lastError = ?2, nextAttemptAt = ?3, quarantinedAt = ?4 where id = ?1",
                id,
                error,
                retryAt,
                quarantine ? now : null);
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

    public Uni<Long> deleteIds(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(0L) : delete("id in ?1", ids);
    }
}
