package dev.windlass.registry.repository;

import dev.windlass.registry.domain.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Outbox rows; the relay's queries lock so that replicas never publish a row twice in normal operation. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    /** Arbitrary constant naming the relay's PostgreSQL advisory lock. */
    static final long RELAY_LOCK = 0x57494e444c415353L; // "WINDLASS"

    /** Tries the relay's transaction-scoped advisory lock: true in exactly one replica's transaction at a time. */
    public Uni<Boolean> tryRelayLock() {
        return Panache.getSession()
                // HQL, whose plan Hibernate caches; a native select's plan cache key never equals the last call's
                .chain(session -> session.createSelectionQuery(
                                "select cast(function('pg_try_advisory_xact_lock', :lock) as Boolean)", Boolean.class)
                        .setParameter("lock", RELAY_LOCK)
                        .getSingleResult())
                .map(Boolean.TRUE::equals);
    }

    /** The oldest unpublished events, locked until the transaction ends; rows another transaction holds are skipped. */
    public Uni<List<OutboxEvent>> lockUnpublished(int limit) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select * from outbox_event where published_at is null order by seq limit :limit"
                                        + " for update skip locked",
                                OutboxEvent.class)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    /**
     * Sends {@code payload} to every connection listening on {@code channel} when the current transaction commits
     * (PostgreSQL holds a notification until then, and drops it with a rollback).
     */
    public Uni<Void> notifyAtCommit(String channel, String payload) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select cast(function('pg_notify', :channel, :payload) as String)", String.class)
                        .setParameter("channel", channel)
                        .setParameter("payload", payload)
                        .getSingleResult())
                .replaceWithVoid();
    }

    public Uni<Integer> markPublished(List<UUID> ids, Instant at) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return update(
                "publishedAt = :at where id in :ids", Parameters.with("at", at).and("ids", ids));
    }

    public Uni<Long> purgePublishedBefore(Instant before) {
        return delete("publishedAt < ?1", before);
    }
}
