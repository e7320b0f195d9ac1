package dev.windlass.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A typed event with its CloudEvents attributes: what a producer sends and what the validator hands a
 * consumer. {@code id} is the idempotency key.
 */
public record EventEnvelope<T>(UUID id, EventType<T> type, String source, String subject, Instant time, T data) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** An envelope for a new event with a random id; subject and time come from the payload. */
    public static <T> EventEnvelope<T> create(EventType<T> type, String source, T data) {
        return of(type, UUID.randomUUID(), source, data);
    }

    /** An envelope with a given id (e.g. the one stored in an outbox row); subject and time from the payload. */
    public static <T> EventEnvelope<T> of(EventType<T> type, UUID id, String source, T data) {
        return new EventEnvelope<>(id, type, source, type.keyOf(data), type.timeOf(data), data);
    }

    /** The Kafka record key. */
    public String key() {
        return type.keyOf(data);
    }

    /** The topic to publish on. */
    public String topic() {
        return type.topic();
    }

    /** The Kafka record headers (CloudEvents binary mode). */
    public Map<String, byte[]> headers() {
        return CloudEventHeaders.of(type, id, source, subject, time);
    }

    /** The Kafka record value: {@code data} as JSON. */
    public byte[] payload() {
        return EventJson.toBytes(data);
    }
}
