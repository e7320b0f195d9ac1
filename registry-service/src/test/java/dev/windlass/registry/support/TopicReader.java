package dev.windlass.registry.support;

import dev.windlass.devstack.DevStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning with a plain consumer, keeping every record seen. */
public final class TopicReader implements AutoCloseable {

    /** One record as read. */
    public record Event(String key, Map<String, String> headers, byte[] value) {

        public String header(String name) {
            return headers.get(name);
        }

        public String payload() {
            return new String(value, StandardCharsets.UTF_8);
        }

        public Map<String, byte[]> rawHeaders() {
            Map<String, byte[]> raw = new HashMap<>();
            headers.forEach((k, v) -> raw.put(k, v.getBytes(StandardCharsets.UTF_8)));
            return raw;
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Event> seen = new ArrayList<>();

    public TopicReader(String topic) {
        // a test reads what the registry wrote as the broker's admin: the registry itself may only write
        Map<String, Object> props =
                new HashMap<>(DevStack.kafka().clientProperties(dev.windlass.devstack.KafkaAccess.ADMIN));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** Polls briefly and returns every record seen so far. */
    public synchronized List<Event> poll() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            Map<String, String> headers = new HashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            seen.add(new Event(record.key(), headers, record.value()));
        }
        return List.copyOf(seen);
    }

    /** Every record seen so far with this key, in order. */
    public List<Event> withKey(String key) {
        return poll().stream().filter(e -> key.equals(e.key())).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
