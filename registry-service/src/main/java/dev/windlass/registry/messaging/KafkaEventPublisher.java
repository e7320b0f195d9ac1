package dev.windlass.registry.messaging;

import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventType;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.OutboxEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes outbox rows with a plain idempotent Kafka producer (acks=all), CloudEvents binary mode. Blocking, with
 * every wait bounded by the configured send timeout: call it off the event loop.
 */
@ApplicationScoped
public class KafkaEventPublisher {

    private final Map<String, Object> kafkaConfig;
    private final Duration sendTimeout;
    private KafkaProducer<String, byte[]> producer;

    public KafkaEventPublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, RegistryConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.sendTimeout = config.outbox().sendTimeout();
    }

    /** Sends the rows in order and waits for the broker; returns the ids it acknowledged. */
    public List<UUID> publish(List<OutboxEvent> rows) {
        KafkaProducer<String, byte[]> kafka = producer();
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (OutboxEvent row : rows) {
            try {
                sent.add(kafka.send(record(row)));
            } catch (RuntimeException e) {
                // metadata not available within max.block.ms: the broker is away; stop this batch here
                break;
            }
        }
        List<UUID> acknowledged = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(rows.get(i).getId());
            } catch (ExecutionException | TimeoutException e) {
                // not acknowledged: stays in the outbox for the next pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return acknowledged;
    }

    static ProducerRecord<String, byte[]> record(OutboxEvent row) {
        EventType<?> type = EventType.byName(row.getEventType())
                .orElseThrow(() -> new IllegalStateException("unknown event type " + row.getEventType()));
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(type, row.getId(), CloudEventHeaders.SOURCE_REGISTRY, row.getKey(), row.getOccurredAt())
                .forEach(headers::add);
        return new ProducerRecord<>(
                row.getTopic(), null, row.getKey(), row.getPayload().getBytes(StandardCharsets.UTF_8), headers);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafkaConfig);
            int timeout = (int) sendTimeout.toMillis();
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "registry-outbox");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2) + 5);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
            props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }
}
