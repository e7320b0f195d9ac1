package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.sql.Sql;
import dev.windlass.deployer.domain.OutboxRecord;
import dev.windlass.deployer.repository.OutboxRepository;
import dev.windlass.events.DeadLetter;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.Topics;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes Kafka records into the outbox table, inside the caller's transaction; the relay publishes them once that
 * transaction has committed. Values that may hold a secret (deployment requests, whose secret values are sealed
 * already, and dead letters) are sealed at rest; status and health events, which by their contract carry none, are kept as
 * they are published ({@value #PLAIN}, then the value's text) and cost no cipher operation.
 */
@ApplicationScoped
public class Outbox {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
    /** How a value stored without sealing starts; a sealed value starts with its version ({@code v1:}). */
    static final String PLAIN = "plain:";

    private final OutboxRepository repository;
    private final SecretCipher cipher;

    public Outbox(OutboxRepository repository, SecretCipher cipher) {
        this.repository = repository;
        this.cipher = cipher;
    }

    /** Queues one event for its topic, keyed and with CloudEvents headers. */
    public Uni<Void> append(EventEnvelope<?> event) {
        return repository.persist(record(event)).replaceWithVoid();
    }

    /** The same as {@link #append(EventEnvelope)}, written with {@code connection} inside its transaction. */
    public Uni<Void> append(SqlConnection connection, EventEnvelope<?> event) {
        return insert(connection, record(event));
    }

    /**
     * Queues a consumed record for the dead-letter topic with the reason and its origin: unchanged but for its token
     * and any secret value in the clear ({@link DeadLetter}). Written with {@code connection} inside its transaction.
     */
    public Uni<Void> appendDeadLetter(
            SqlConnection connection, IncomingRequest record, List<Violation> reason, Instant at) {
        DeadLetterRecord letter = DeadLetterRecord.of(record, reason, at);
        return insert(
                connection,
                record(UUID.randomUUID(), DeadLetter.TOPIC, record.key(), letter.headers(), letter.value(), at));
    }

    private static Uni<Void> insert(SqlConnection connection, OutboxRecord record) {
        return connection
                .preparedQuery("insert into outbox (event_id, topic, record_key, headers, payload, created_at)"
                        + " values ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.tuple(Arrays.asList(
                        record.eventId,
                        record.topic,
                        record.recordKey == null ? null : Buffer.buffer(record.recordKey),
                        record.headers,
                        record.payload,
                        Sql.timestamp(record.createdAt))))
                .replaceWithVoid();
    }

    /** The headers stored with a record. */
    public static Map<String, byte[]> headers(OutboxRecord record) {
        try {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            JSON.readValue(record.headers, HEADERS)
                    .forEach((name, value) ->
                            headers.put(name, Base64.getDecoder().decode(value)));
            return headers;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a record, unsealed. */
    public byte[] payload(OutboxRecord record) {
        if (record.payload.startsWith(PLAIN)) {
            return record.payload.substring(PLAIN.length()).getBytes(StandardCharsets.UTF_8);
        }
        return cipher.open(record.payload);
    }

    /**
     * How a value for {@code topic} is stored: sealed, or for a status or health event (no secret by contract) as it
     * is published.
     */
    String stored(String topic, byte[] value) {
        byte[] bytes = value == null ? new byte[0] : value;
        return Topics.DEPLOY_STATUS.equals(topic) || Topics.APP_HEALTH.equals(topic)
                ? PLAIN + new String(bytes, StandardCharsets.UTF_8)
                : cipher.seal(bytes);
    }

    /** The row of one event, keyed and with CloudEvents headers. */
    private OutboxRecord record(EventEnvelope<?> event) {
        return record(
                event.id(),
                event.topic(),
                event.key().getBytes(StandardCharsets.UTF_8),
                event.headers(),
                event.payload(),
                Instant.now());
    }

    private OutboxRecord record(
            UUID eventId, String topic, byte[] key, Map<String, byte[]> headers, byte[] value, Instant at) {
        OutboxRecord record = new OutboxRecord();
        record.eventId = eventId;
        record.topic = topic;
        record.recordKey = key;
        record.headers = encode(headers);
        record.payload = stored(topic, value);
        record.createdAt = at;
        return record;
    }

    private static String encode(Map<String, byte[]> headers) {
        Map<String, String> encoded = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (value != null) {
                encoded.put(name, Base64.getEncoder().encodeToString(value));
            }
        });
        try {
            return JSON.writeValueAsString(encoded);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
