package dev.windlass.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * When a bearer token expires, read from its {@code exp} claim when it is a JWT (ServiceAccount tokens from the
 * TokenRequest API and {@code kubectl create token}); empty for tokens without one (legacy ServiceAccount token
 * Secrets, static tokens). The signature is not checked: the API server does that; this only tells people when to
 * renew.
 */
public final class TokenExpiry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenExpiry() {}

    /** The expiry of {@code token}, if it states one. */
    public static Optional<Instant> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.strip().split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims =
                    JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode exp = claims == null ? null : claims.get("exp");
            return exp != null && exp.canConvertToLong()
                    ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
                    : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
