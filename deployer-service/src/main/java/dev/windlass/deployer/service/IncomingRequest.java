package dev.windlass.deployer.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One consumed deploy-request record, as raw as it came: key, value and headers bytes, and where it was read. */
public record IncomingRequest(
        String topic, int partition, long offset, byte[] key, byte[] value, Map<String, byte[]> headers) {

    public IncomingRequest {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public String toString() {
        return "IncomingRequest[" + topic + "-" + partition + "@" + offset + "]";
    }
}
