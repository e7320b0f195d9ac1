package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals values at rest with AES-256-GCM. A sealed value reads {@code v1:<key id>:<base64 of iv and ciphertext>},
 * so keys can rotate: new values use the active key, older ones are opened with the key they name. The key id is
 * authenticated as additional data.
 */
@ApplicationScoped
public class SecretCipher {

    private static final String PREFIX = "v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    /** One cipher per thread, initialised again for each value: {@code Cipher.getInstance} is not free. */
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SecretCipher::newCipher);

    private final Map<String, SecretKey> keys = new HashMap<>();
    private final String activeKeyId;

    @Inject
    public SecretCipher(DeployerConfig config) {
        this(config.secrets().activeKeyId(), config.secrets().keys());
    }

    /** A cipher over base64 keys by id; {@code activeKeyId} seals. */
    public SecretCipher(String activeKeyId, Map<String, String> base64Keys) {
        base64Keys.forEach((id, value) -> {
            if (id.contains(":")) {
                throw new IllegalArgumentException("secret key id '" + id + "' must not contain ':'");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secret key '" + id + "' is not base64");
            }
            if (raw.length != KEY_BYTES) {
                throw new IllegalArgumentException("secret key '" + id + "' must be 32 bytes (AES-256)");
            }
            keys.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("windlass.deployer.secrets.active-key-id names no configured key");
        }
        this.activeKeyId = activeKeyId;
    }

    public String seal(String plaintext) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    public String seal(byte[] plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(activeKeyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv)
                    .put(sealed)
                    .array();
            return PREFIX + ":" + activeKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String openString(String sealed) {
        return new String(open(sealed), StandardCharsets.UTF_8);
    }

    public byte[] open(String sealed) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("not a sealed value");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("sealed with key '" + parts[1] + "', which is not configured");
        }
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(parts[1].getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed value cannot be opened with key '" + parts[1] + "'", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
