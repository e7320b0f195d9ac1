package dev.windlass.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.SealedValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    static final String OLD_KEY = base64("0123456789abcdef0123456789abcdef");
    static final String NEW_KEY = base64("fedcba9876543210fedcba9876543210");
    static final String SECRET = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";
    static final UUID ID = UUID.randomUUID();

    final CredentialCipher cipher =
            new CredentialCipher(new EncryptionKeys("new", Map.of("old", OLD_KEY, "new", NEW_KEY)));

    @Test
    void sealsWithTheActiveKeyAndOpensAgain() {
        SealedValue sealed = cipher.seal(ID, CredentialField.TOKEN, SECRET);

        assertThat(sealed.keyId()).isEqualTo("new");
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("secret-token");
        assertThat(sealed.ciphertext()).hasSize(12 + SECRET.length() + 16);
        assertThat(cipher.open(ID, CredentialField.TOKEN, sealed)).isEqualTo(SECRET);
        assertThat(cipher.needsRotation(sealed)).isFalse();
    }

    @Test
    void everySealUsesAFreshNonce() {
        assertThat(cipher.seal(ID, CredentialField.TOKEN, SECRET))
                .isNotEqualTo(cipher.seal(ID, CredentialField.TOKEN, SECRET));
    }

    @Test
    void aValueDoesNotOpenForAnotherRecordOrField() {
        SealedValue sealed = cipher.seal(ID, CredentialField.TOKEN, SECRET);

        assertThatThrownBy(() -> cipher.open(UUID.randomUUID(), CredentialField.TOKEN, sealed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot decrypt token of orchestrator")
                .hasNoCause();
        assertThatThrownBy(() -> cipher.open(ID, CredentialField.CLIENT_KEY, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOlderKeyStillOpensAndAsksForRotation() {
        SealedValue old = cipher.sealWith("old", ID, CredentialField.CA_CERTIFICATE, SECRET);

        assertThat(cipher.needsRotation(old)).isTrue();
        assertThat(cipher.open(ID, CredentialField.CA_CERTIFICATE, old)).isEqualTo(SECRET);
    }

    @Test
    void aRemovedKeyIsReportedByItsId() {
        SealedValue old = cipher.sealWith("old", ID, CredentialField.TOKEN, SECRET);
        CredentialCipher withoutOld = new CredentialCipher(new EncryptionKeys("new", Map.of("new", NEW_KEY)));

        assertThatThrownBy(() -> withoutOld.open(ID, CredentialField.TOKEN, old))
                .isInstanceOf(EncryptionKeys.UnknownKeyException.class)
                .hasMessage("encryption key 'old' is not configured");
    }

    @Test
    void startupFailsWithoutAUsableActiveKey() {
        assertThatThrownBy(() -> new EncryptionKeys(null, Map.of()))
                .hasMessageContaining("windlass.registry.encryption.active-key-id is not set");
        assertThatThrownBy(() -> new EncryptionKeys("k1", Map.of("k0", OLD_KEY)))
                .hasMessageContaining("windlass.registry.encryption.keys.k1 is not configured");
        assertThatThrownBy(() -> new EncryptionKeys("k1", Map.of("k1", base64("too short"))))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> new EncryptionKeys("k1", Map.of("k1", "not base64!")))
                .hasMessageContaining("is not base64");
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
