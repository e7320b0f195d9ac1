package dev.windlass.registry.service;

import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.SealedValue;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals credentials with AES-256-GCM. The associated data binds each ciphertext to its orchestrator id, field and
 * key id, so a value copied to another row or column no longer opens.
 */
@ApplicationScoped
public class CredentialCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final EncryptionKeys keys;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(EncryptionKeys keys) {
        this.keys = keys;
    }

    /** Seals {@code plaintext} with the active key. */
    public SealedValue seal(UUID orchestratorId, CredentialField field, String plaintext) {
        return sealWith(keys.activeKeyId(), orchestratorId, field, plaintext);
    }

    /** Seals with a given key (re-encryption tests and tools); normally {@link #seal} is what you want. */
    public SealedValue sealWith(String keyId, UUID orchestratorId, CredentialField field, String plaintext) {
        SecretKey key = keys.key(keyId);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(keyId, orchestratorId, field));
            byte[] encrypted = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new SealedValue(
                    keyId,
                    ByteBuffer.allocate(NONCE_BYTES + encrypted.length)
                            .put(nonce)
                            .put(encrypted)
                            .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt " + field.fieldName(), e);
        }
    }

    /** Opens a sealed value; fails when the key is unknown or the value was not sealed for this id and field. */
    public String open(UUID orchestratorId, CredentialField field, SealedValue value) {
        SecretKey key = keys.key(value.keyId());
        byte[] data = value.ciphertext();
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(value.keyId(), orchestratorId, field));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // no cause: it could only say "tag mismatch", and nothing about the value may leak
            throw new IllegalStateException("cannot decrypt " + field.fieldName() + " of orchestrator " + orchestratorId
                    + " with key '" + value.keyId() + "'");
        }
    }

    /** Whether a value is sealed with a key other than the active one. */
    public boolean needsRotation(SealedValue value) {
        return !keys.activeKeyId().equals(value.keyId());
    }

    /** The id of the active key. */
    public String activeKeyId() {
        return keys.activeKeyId();
    }

    private static byte[] associatedData(String keyId, UUID orchestratorId, CredentialField field) {
        return ("windlass/orchestrator/" + orchestratorId + "/" + field.fieldName() + "/" + keyId)
                .getBytes(StandardCharsets.UTF_8);
    }
}
