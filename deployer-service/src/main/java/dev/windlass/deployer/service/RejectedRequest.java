package dev.windlass.deployer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.trust.RequestDigest;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What can still be read from a refused request: its event id and, when the payload names them, the deployment and
 * its app, so that the rejection can be announced as FAILED; its {@link RequestDigest}; and whether a token proved who
 * sent it. A refusal changes a stored deployment only when the record is that deployment's own request (same digest),
 * and announces FAILED for an app without a stored deployment only for an authenticated sender: anyone else could
 * otherwise fail a waiting deployment or announce failures of apps they do not know.
 */
public record RejectedRequest(
        UUID eventId,
        UUID deploymentId,
        String orchestrator,
        String namespace,
        String app,
        String digest,
        boolean authenticated) {

    public RejectedRequest(UUID eventId, UUID deploymentId, String orchestrator, String namespace, String app) {
        this(eventId, deploymentId, orchestrator, namespace, app, null, false);
    }

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
                keyPart(text(payload, "app")),
                RequestDigest.ofValue(record.value()),
                false);
    }

    /**
     * The same request without its event id: its refusal claims no event id, so a record that reuses the event id of
     * another one (still waiting on the topic) cannot make that one a duplicate.
     */
    public RejectedRequest withoutEventId() {
        return new RejectedRequest(null, deploymentId, orchestrator, namespace, app, digest, authenticated);
    }

    /** The same request, sent by a requester whose token counted. */
    public RejectedRequest fromAuthenticatedSender() {
        return new RejectedRequest(eventId, deploymentId, orchestrator, namespace, app, digest, true);
    }

    /** Whether the refused record is the stored deployment's own request. */
    public boolean isRequestOf(dev.windlass.deployer.domain.Deployment d) {
        // rows older than the digest column: as before, the request naming them is taken as theirs
        return d.requestDigest == null || d.requestDigest.equals(digest);
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
