package dev.windlass.registry.domain;

import java.util.Arrays;
import java.util.Objects;

/** One encrypted credential: the id of the key that sealed it and the AES-GCM nonce followed by the ciphertext. */
public class SealedValue {

    private final String keyId;

    private final byte[] ciphertext;

    public SealedValue(String keyId, byte[] ciphertext) {
        this.keyId = Objects.requireNonNull(keyId);
        this.ciphertext = ciphertext.clone();
    }

    public String keyId() {
        return keyId;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedValue other
                && keyId.equals(other.keyId)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }
}
