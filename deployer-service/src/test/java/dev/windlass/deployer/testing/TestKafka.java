package dev.windlass.deployer.testing;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KafkaAccess;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.Topics;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for tests: produce exact bytes, read a whole topic. */
public final class TestKafka {

    private TestKafka() {}

    /** Produces one record and waits for the broker's acknowledgement. */
    public static void produce(String topic, byte[] key, byte[] value, Map<String, byte[]> headers) {
        Properties props = new Properties();
        // as whoever writes that topic in production: an outside producer of requests, the registry of its events
        props.putAll(DevStack.kafka().clientProperties(producerOf(topic)));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, bytes) -> record.headers().add(name, bytes));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    /**
     * Produces records in one go: one producer that holds them until all are sent, so that records of one partition
     * reach the broker as one batch and a consumer reads them in one poll.
     */
    public static void produceTogether(List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.putAll(DevStack.kafka().clientProperties(producerOf(records.get(0).topic())));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            records.forEach(record -> sent.add(producer.send(record)));
            producer.flush();
            for (java.util.concurrent.Future<?> each : sent) {
                each.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not produce to " + records.get(0).topic(), e);
        }
    }

    /**
     * Produces an event exactly as a Windlass producer would: key, CloudEvents headers, JSON value. A deploy request
     * goes as a CI pipeline sends one: secret values sealed, signed by the dev deployer ({@link Requests}).
     */
    @SuppressWarnings("unchecked")
    public static void produce(EventEnvelope<?> event) {
        if (event.type() == EventType.DEPLOYMENT_REQUESTED) {
            Requests.produce((EventEnvelope<DeploymentRequested>) event, Requests.deployerToken());
            return;
        }
        produce(event.topic(), utf8(event.key()), event.payload(), event.headers());
    }

    private static String producerOf(String topic) {
        return switch (topic) {
            case Topics.DEPLOY_REQUESTS -> KafkaAccess.CI_PIPELINE;
            case Topics.ORCHESTRATOR_EVENTS -> KafkaAccess.REGISTRY;
            default -> KafkaAccess.ADMIN;
        };
    }

    /** Every record in the topic right now, in partition then offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.putAll(DevStack.kafka().clientProperties(KafkaAccess.ADMIN));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    /** The status events published for one deployment, in the order they were published. */
    public static List<DeploymentStatusChanged> statuses(UUID deploymentId) {
        List<DeploymentStatusChanged> statuses = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(EventType.DEPLOYMENT_STATUS.topic())) {
            DeploymentStatusChanged status = read(record.value(), DeploymentStatusChanged.class);
            if (status != null && deploymentId.equals(status.deploymentId())) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /**
     * {@link #statuses(UUID)} without the retry notes (a phase repeated to say what is being retried): one event per
     * phase the deployment went through.
     */
    public static List<DeploymentStatusChanged> phaseStatuses(UUID deploymentId) {
        return statuses(deploymentId).stream()
                .filter(status -> !status.message().startsWith("retrying "))
                .toList();
    }

    /** The headers of a record, by name (the last value of a repeated header). */
    public static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        return headers;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        byte[] value = headers(record).get(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return EventJson.mapper().readValue(value, type);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** The dead letter of the request with this event id, if the deployer wrote one. */
    public static java.util.Optional<ConsumerRecord<byte[], byte[]>> deadLetter(UUID eventId) {
        return readAll(dev.windlass.events.Topics.DEPLOY_REQUESTS_DLQ).stream()
                .filter(r -> eventId.toString().equals(header(r, dev.windlass.events.CloudEventHeaders.ID)))
                .findFirst();
    }

    /** Why the request with this event id was dead-lettered; empty while it was not. */
    public static List<dev.windlass.events.validation.Violation> deadLetterReason(UUID eventId) {
        return deadLetter(eventId)
                .map(r -> dev.windlass.events.DeadLetter.reasonOf(headers(r)))
                .orElse(List.of());
    }
}
