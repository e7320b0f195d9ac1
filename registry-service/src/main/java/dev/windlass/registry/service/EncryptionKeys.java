package dev.windlass.registry.service;

import dev.windlass.registry.config.RegistryConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys from configuration, checked at startup: the active key must exist and every key must be 32
 * bytes, or the service refuses to start.
 */
@Startup
@Singleton
public class EncryptionKeys {

    private static final int KEY_BYTES = 32;

    private final String activeKeyId;
    private final Map<String, SecretKey> keys;

    @Inject
    public EncryptionKeys(RegistryConfig config) {
        this(config.encryption().activeKeyId(), config.encryption().keys());
    }

    /** Keys from an active id and id-to-base64 entries; throws if they are unusable. */
    public EncryptionKeys(String activeKeyId, Map<String, String> base64Keys) {
        if (activeKeyId == null || activeKeyId.isBlank()) {
            throw new IllegalStateException("windlass.registry.encryption.active-key-id is not set");
        }
        Map<String, SecretKey> parsed = new TreeMap<>();
        base64Keys.forEach((id, value) -> parsed.put(id, parse(id, value)));
        if (!parsed.containsKey(activeKeyId)) {
            throw new IllegalStateException("windlass.registry.encryption.active-key-id names key '" + activeKeyId
                    + "', but windlass.registry.encryption.keys." + activeKeyId + " is not configured");
        }
        this.activeKeyId = activeKeyId;
        this.keys = Map.copyOf(parsed);
    }

    private static SecretKey parse(String id, String value) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("windlass.registry.encryption.keys." + id + " is not base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalStateException("windlass.registry.encryption.keys." + id + " must be " + KEY_BYTES
                    + " bytes (base64), found " + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** The id of the key new values are sealed with. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** The active key. */
    public SecretKey activeKey() {
        return keys.get(activeKeyId);
    }

    /** The key with this id; throws when it is not configured (any more). */
    public SecretKey key(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new UnknownKeyException(keyId);
        }
        return key;
    }

    /** A sealed value names a key that is not configured. */
    public static final class UnknownKeyException extends IllegalStateException {
        public UnknownKeyException(String keyId) {
            super("encryption key '" + keyId + "' is not configured");
        }
    }
}
