package dev.windlass.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a deploy request on Kafka proves who asked, and how its secret values travel.
 *
 * <ul>
 *   <li>Header {@value #AUTHORIZATION_HEADER}: {@code Bearer <access token>}, an access token of the identity provider
 *       for the Windlass application, judged at the time the broker appended the record. Records the deployer itself
 *       produced for its HTTP API carry none: they are taken only for the deployment the API stored with the same
 *       request.
 *   <li>Every {@code spec.secretEnv} value is a JWE compact serialization sealed to a key of the deployer's
 *       {@code GET /api/sealing-keys} (with the algorithm the key names, A256GCM).
 * </ul>
 *
 * A refused request is dead-lettered with one of the rules below; dead letters never carry the authorization header,
 * and a plaintext secret value is replaced by {@value #REDACTED} in them.
 */
public final class RequestTrust {

    /** Kafka header with the requester's access token. */
    public static final String AUTHORIZATION_HEADER = "authorization";

    /** Rule of a request without a token that counts (none, expired at append time, forged, an ID token…). */
    public static final String UNAUTHENTICATED = "unauthenticated";

    /** Rule of a request whose token's groups may not do what it asks. */
    public static final String FORBIDDEN = "forbidden";

    /** Rule of a request with a secret value in the clear. */
    public static final String PLAINTEXT_SECRET = "plaintext-secret";

    /** Rule of a request with a sealed secret value the deployer cannot open. */
    public static final String UNSEALABLE_SECRET = "unsealable-secret";

    /** What a plaintext secret value reads in a dead letter. */
    public static final String REDACTED = "<redacted>";

    private static final String BEARER = "bearer ";
    private static final Pattern COMPACT_JWE =
            Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+");

    private RequestTrust() {}

    /** The token of a record's authorization header, or null when there is no {@code Bearer} header. */
    public static String bearerToken(Map<String, byte[]> headers) {
        byte[] raw = headers == null ? null : headers.get(AUTHORIZATION_HEADER);
        if (raw == null) {
            return null;
        }
        String value = new String(raw, StandardCharsets.UTF_8).strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return null;
        }
        String token = value.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** Whether a header is a credential that no copy of the record may keep (a dead letter, a log line). */
    public static boolean isCredentialHeader(String name) {
        return AUTHORIZATION_HEADER.equalsIgnoreCase(name);
    }

    /** Whether a secret value has the shape of a JWE compact serialization (five base64url parts). */
    public static boolean looksSealed(String value) {
        return value != null && COMPACT_JWE.matcher(value).matches();
    }

    /**
     * A deploy request's value with every secret value that is not sealed replaced by {@value #REDACTED}; the bytes
     * unchanged when there is none (or the value is no JSON object).
     */
    public static byte[] withoutPlaintextSecrets(byte[] value) {
        if (value == null || value.length == 0) {
            return value;
        }
        JsonNode tree;
        try {
            tree = EventJson.shared().readTree(value);
        } catch (java.io.IOException | RuntimeException e) {
            return value;
        }
        JsonNode secretEnv = tree == null ? null : tree.path("spec").path("secretEnv");
        if (!(secretEnv instanceof ObjectNode secrets)) {
            return value;
        }
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = secrets.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode secret = entry.getValue();
            if (!(secret.isTextual() && looksSealed(secret.asText())) && !secret.isNull()) {
                entry.setValue(secrets.textNode(REDACTED));
                changed = true;
            }
        }
        return changed ? EventJson.toBytes(tree) : value;
    }
}
