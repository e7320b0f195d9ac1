package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.OutboxRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** The oldest unpublished records, in the order they were written. */
    public Uni<List<OutboxRecord>> oldest(int limit) {
        return findAll(Sort.ascending("id")).page(0, limit).list();
    }

    public Uni<Long> deleteIds(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(0L) : delete("id in ?1", ids);
    }
}
