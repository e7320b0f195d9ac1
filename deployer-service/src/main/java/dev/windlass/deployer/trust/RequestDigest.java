package dev.windlass.deployer.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.EventJson;
import dev.windlass.events.deployment.DeploymentRequested;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a deploy request asks for, as a SHA-256 of its data in canonical JSON (keys sorted) without who asked and
 * when. The API stores it with the PENDING deployment; the intake takes a record for a known deployment id only
 * when the record's digest is the same, so a spec cannot be swapped under a deployment id. Sealed secret values are
 * part of it as sealed, so the record the API wrote is the only one that matches.
 */
public final class RequestDigest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final ObjectMapper CANONICAL =
            EventJson.mapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private RequestDigest() {}

    /** The digest of a request as the API writes it. */
    public static String of(DeploymentRequested request) {
        return of((JsonNode) JSON.valueToTree(request));
    }

    /** The digest of a record's value; null when it is no JSON object. */
    public static String ofValue(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode tree = JSON.readTree(value);
            return tree != null && tree.isObject() ? of(tree) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String of(JsonNode data) {
        ObjectNode content = ((ObjectNode) data).deepCopy();
        content.remove("requestedBy");
        content.remove("requestedAt");
        try {
            Object plain = CANONICAL.treeToValue(content, Object.class);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(plain));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request cannot be written as JSON", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
