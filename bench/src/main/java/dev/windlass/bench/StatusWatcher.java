package dev.windlass.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.EventJson;
import dev.windlass.events.Topics;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the deployer's status topic from its end as it is at start, and notes when each deployment was first
 * reported applied ({@code PROGRESSING}), finished ({@code SUCCEEDED}) or {@code FAILED}, in {@link System#nanoTime()}.
 */
public final class StatusWatcher implements AutoCloseable {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<UUID, Long> applied = new ConcurrentHashMap<>();
    private final Map<UUID, Long> succeeded = new ConcurrentHashMap<>();
    private final Map<UUID, String> failed = new ConcurrentHashMap<>();
    private final AtomicLong events = new AtomicLong();
    private volatile boolean running = true;

    /** Reads the status topic with these client properties (bootstrap servers and, on a secured broker, SASL). */
    public StatusWatcher(java.util.Map<String, String> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEPLOY_STATUS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before anything is published
        thread = new Thread(this::run, "bench-status-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long now = System.nanoTime();
                events.incrementAndGet();
                try {
                    DeploymentStatusChanged status = JSON.readValue(record.value(), DeploymentStatusChanged.class);
                    if (status.phase() == DeploymentPhase.PROGRESSING) {
                        applied.putIfAbsent(status.deploymentId(), now);
                    } else if (status.phase() == DeploymentPhase.SUCCEEDED) {
                        succeeded.putIfAbsent(status.deploymentId(), now);
                    } else if (status.phase() == DeploymentPhase.FAILED) {
                        failed.putIfAbsent(status.deploymentId(), status.message());
                    }
                } catch (java.io.IOException e) {
                    // not ours to judge: the deployer's own tests check its events
                }
            }
        }
        consumer.close();
    }

    /** When {@code id} was reported PROGRESSING, or null. */
    public Long applied(UUID id) {
        return applied.get(id);
    }

    /** Waits until every id is applied or failed, or the timeout passes; the number still missing. */
    public int awaitApplied(Collection<UUID> ids, Duration timeout) throws InterruptedException {
        return await(ids, timeout, applied);
    }

    /** Waits until every id succeeded or failed, or the timeout passes; the number still missing. */
    public int awaitSucceeded(Collection<UUID> ids, Duration timeout) throws InterruptedException {
        return await(ids, timeout, succeeded);
    }

    private int await(Collection<UUID> ids, Duration timeout, Map<UUID, Long> reached) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int missing;
        do {
            missing = 0;
            for (UUID id : ids) {
                if (!reached.containsKey(id) && !failed.containsKey(id)) {
                    missing++;
                }
            }
            if (missing == 0) {
                return 0;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return missing;
    }

    /** The ids among {@code ids} that failed, with the deployer's message. */
    public Map<UUID, String> failures(Collection<UUID> ids) {
        Map<UUID, String> result = new java.util.LinkedHashMap<>();
        ids.forEach(id -> {
            if (failed.containsKey(id)) {
                result.put(id, failed.get(id));
            }
        });
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
