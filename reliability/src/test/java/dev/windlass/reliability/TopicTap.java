package dev.windlass.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every record of every {@code windlass.*} topic from the beginning, for the whole run, in a thread of its
 * own: the checks read what the services published (status events, dead letters) and the secret scan reads all of
 * it. It rides out broker outages like any consumer.
 */
public final class TopicTap implements AutoCloseable {

    /** One record as it was on the topic. */
    public record Rec(String topic, int partition, long offset, byte[] key, byte[] value, Map<String, byte[]> headers) {

        public String header(String name) {
            byte[] v = headers.get(name);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        public String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        public String valueText() {
            return value == null ? "" : new String(value, StandardCharsets.UTF_8);
        }
    }

    // java.util.logging keeps loggers weakly: hold it so the level sticks (the clients' INFO lines drown the output)
    private static final java.util.logging.Logger KAFKA_LOG = quiet("org.apache.kafka");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Rec> records = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private TopicTap(java.util.Map<String, String> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reliability-tap-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "reliability-topic-tap");
        thread.setDaemon(true);
    }

    private static java.util.logging.Logger quiet(String category) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    static TopicTap start(java.util.Map<String, String> client) {
        TopicTap tap = new TopicTap(client);
        tap.thread.start();
        return tap;
    }

    private void run() {
        try {
            consumer.subscribe(Pattern.compile("windlass\\..*"));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, byte[]> headers = new LinkedHashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), h.value());
                    }
                    synchronized (records) {
                        records.add(new Rec(r.topic(), r.partition(), r.offset(), r.key(), r.value(), headers));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    /** The records read so far that match. */
    public List<Rec> records(Predicate<Rec> filter) {
        synchronized (records) {
            return records.stream().filter(filter).toList();
        }
    }

    /** The records of one topic read so far. */
    public List<Rec> topic(String topic) {
        return records(r -> r.topic().equals(topic));
    }

    /** How many records were read. */
    public int size() {
        synchronized (records) {
            return records.size();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
