package dev.windlass.deployer.service;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One consumed deploy-request record, as raw as it came: key, value and headers bytes, where it was read, and when
 * the broker appended it ({@code appendedAt}; null when the topic keeps the producer's own time, which proves
 * nothing).
 */
public record IncomingRequest(
        String topic,
        int partition,
        long offset,
        byte[] key,
        byte[] value,
        Map<String, byte[]> headers,
        Instant appendedAt) {

    public IncomingRequest(
            String topic, int partition, long offset, byte[] key, byte[] value, Map<String, byte[]> headers) {
        this(topic, partition, offset, key, value, headers, null);
    }

    public IncomingRequest {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public String toString() {
        return "IncomingRequest[" + topic + "-" + partition + "@" + offset + "]";
    }
}
