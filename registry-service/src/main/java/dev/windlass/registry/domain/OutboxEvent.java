package dev.windlass.registry.domain;

import dev.windlass.common.sql.Sql;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * An event written in the same transaction as the change it describes, published to Kafka later by the relay. Its
 * id is the CloudEvents id. Rows are relayed in insertion order (the {@code seq} column, assigned by the database).
 */
public class OutboxEvent {

    private UUID id;

    private String eventType;

    private String topic;

    private String key;

    private String payload;

    private Instant occurredAt;

    private Instant publishedAt;

    public OutboxEvent(UUID id, String eventType, String topic, String key, String payload, Instant occurredAt) {
        this.id = id;
        this.eventType = eventType;
        this.topic = topic;
        this.key = key;
        this.payload = payload;
        this.occurredAt = occurredAt;
    }

    /** The event a row of the {@code outbox_event} table holds. */
    public static OutboxEvent fromRow(Row row) {
        OutboxEvent e = new OutboxEvent(
                row.getUUID("id"),
                row.getString("event_type"),
                row.getString("topic"),
                row.getString("event_key"),
                row.getString("payload"),
                Sql.instant(row.getOffsetDateTime("occurred_at")));
        e.publishedAt = Sql.instant(row.getOffsetDateTime("published_at"));
        return e;
    }

    public UUID getId() {
        return id;
    }

    public String getEventType() {
        return eventType;
    }

    public String getTopic() {
        return topic;
    }

    public String getKey() {
        return key;
    }

    public String getPayload() {
        return payload;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public Instant getPublishedAt() {
        return publishedAt;
    }
}
