package dev.windlass.deployer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What can still be read from a request that failed validation: its event id and, when the payload names them,
 * the deployment and its app, so that the rejection can be announced as FAILED.
 */
public record RejectedRequest(UUID eventId, UUID deploymentId, String orchestrator, String namespace, String app) {

    private static final ObjectMapper JSON = EventJson.mapper();

    /** Reads what it can from the raw record; never throws. */
    public static RejectedRequest of(IncomingRequest record) {
        UUID eventId = uuid(header(record, CloudEventHeaders.ID));
        JsonNode payload = tree(record.value());
        return new RejectedRequest(
                eventId,
                uuid(text(payload, "deploymentId")),
                keyPart(text(payload, "orchestrator")),
                keyPart(text(payload, "namespace")),
                keyPart(text(payload, "app")));
    }

    /** Whether the app is known well enough to key a status event. */
    public boolean appKnown() {
        return orchestrator != null && namespace != null && app != null;
    }

    private static String header(IncomingRequest record, String name) {
        byte[] raw = record.headers().get(name);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    private static JsonNode tree(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode payload, String field) {
        if (payload == null || !payload.isObject()) {
            return null;
        }
        JsonNode value = payload.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String keyPart(String value) {
        return value == null || value.isBlank() || value.contains("/") || value.length() > 253 ? null : value;
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
