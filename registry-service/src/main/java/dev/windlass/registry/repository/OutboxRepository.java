package dev.windlass.registry.repository;

import dev.windlass.common.sql.Sql;
import dev.windlass.registry.domain.OutboxEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Outbox rows, on plain statements of the reactive PostgreSQL client; the relay's queries lock so that replicas never
 * publish a row twice in normal operation.
 */
@ApplicationScoped
public class OutboxRepository {

    /** Arbitrary constant naming the relay's PostgreSQL advisory lock. */
    static final long RELAY_LOCK = 0x57494e444c415353L; // "WINDLASS"

    /** Writes {@code event} in the client's transaction. */
    public Uni<Void> insert(SqlClient client, OutboxEvent event) {
        return client.preparedQuery("insert into outbox_event (id, event_type, topic, event_key, payload, occurred_at)"
                        + " values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(
                        event.getId(),
                        event.getEventType(),
                        event.getTopic(),
                        event.getKey(),
                        event.getPayload(),
                        Sql.timestamp(event.getOccurredAt())))
                .replaceWithVoid();
    }

    /** Tries the relay's transaction-scoped advisory lock: true in exactly one replica's transaction at a time. */
    public Uni<Boolean> tryRelayLock(SqlClient client) {
        return client.preparedQuery("select pg_try_advisory_xact_lock($1)")
                .execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The oldest unpublished events, locked until the transaction ends; rows another transaction holds are skipped. */
    public Uni<List<OutboxEvent>> lockUnpublished(SqlClient client, int limit) {
        return client.preparedQuery("select * from outbox_event where published_at is null order by seq limit $1"
                        + " for update skip locked")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<OutboxEvent> events = new ArrayList<>(rows.size());
                    rows.forEach(row -> events.add(OutboxEvent.fromRow(row)));
                    return events;
                });
    }

    /**
     * Sends {@code payload} to every connection listening on {@code channel} when the client's transaction commits
     * (PostgreSQL holds a notification until then, and drops it with a rollback).
     */
    public Uni<Void> notifyAtCommit(SqlClient client, String channel, String payload) {
        return client.preparedQuery("select pg_notify($1, $2)")
                .execute(Tuple.of(channel, payload))
                .replaceWithVoid();
    }

    public Uni<Integer> markPublished(SqlClient client, List<UUID> ids, Instant at) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return client.preparedQuery("update outbox_event set published_at = $1 where id = any($2)")
                .execute(Tuple.of(Sql.timestamp(at), ids.toArray(UUID[]::new)))
                .map(RowSet::rowCount);
    }

    public Uni<Integer> purgePublishedBefore(SqlClient client, Instant before) {
        return client.preparedQuery("delete from outbox_event where published_at < $1")
                .execute(Tuple.of(Sql.timestamp(before)))
                .map(RowSet::rowCount);
    }
}
