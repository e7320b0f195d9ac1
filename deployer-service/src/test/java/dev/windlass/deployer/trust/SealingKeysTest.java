package dev.windlass.deployer.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.domain.SealingKey;
import dev.windlass.deployer.service.SecretCipher;
import dev.windlass.deployer.testing.SealSecretScript;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sealing keys of each kind: what is published, that values sealed to a key (by the deployer, by any JOSE
 * library, by the documented script) open, that keys of an earlier kind keep opening after the kind changed, and that
 * a value cannot make a key serve another algorithm. The whole path over Kafka is in KafkaDoorTest.
 */
class SealingKeysTest {

    private static final String VALUE = "db-password-Ω-" + "x".repeat(40);
    private static final SecretCipher CIPHER =
            new SecretCipher("k1", Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])));

    @ParameterizedTest
    @EnumSource(SealingKeyType.class)
    void publishesTheActiveKeyWithItsAlgorithmAndOpensWhatIsSealedToIt(SealingKeyType type) throws Exception {
        SealingKeys.Snapshot keys = SealingKeys.snapshotOf(List.of(key(type, true)), CIPHER);

        JsonNode published = new ObjectMapper().readTree(keys.jwks()).get("keys");
        assertThat(published).hasSize(1);
        JsonNode key = published.get(0);
        assertThat(key.get("kid").asText()).isEqualTo(keys.activeKeyId());
        assertThat(key.get("use").asText()).isEqualTo("enc");
        assertThat(key.get("alg").asText())
                .isEqualTo(
                        type == SealingKeyType.RSA_2048
                                ? KeyManagementAlgorithmIdentifiers.RSA_OAEP_256
                                : KeyManagementAlgorithmIdentifiers.ECDH_ES_A256KW);
        assertThat(key.get("kty").asText())
                .isEqualTo(
                        switch (type) {
                            case X25519 -> "OKP";
                            case P_256 -> "EC";
                            case RSA_2048 -> "RSA";
                        });
        assertThat(key.has("d")).as("no private part").isFalse();

        String sealed = Jwe.seal(VALUE, keys.activeKeyId(), keys.activeKey());
        assertThat(Jwe.looksSealed(sealed)).isTrue();
        assertThat(Jwe.open("DB_PASSWORD", sealed, keys.privateKeys())).isEqualTo(VALUE);
    }

    @ParameterizedTest
    @EnumSource(SealingKeyType.class)
    void aValueSealedByTheDocumentedScriptOpens(SealingKeyType type) throws Exception {
        SealingKeys.Snapshot keys = SealingKeys.snapshotOf(List.of(key(type, true)), CIPHER);
        String sealed = SealSecretScript.seal(keys.jwks(), VALUE);

        assertThat(Jwe.open("DB_PASSWORD", sealed, keys.privateKeys())).isEqualTo(VALUE);
    }

    @Test
    void keysOfAnEarlierKindKeepOpeningWhatWasSealedToThem() {
        // an RSA key, as every key was before X25519 became the default, sealed a value
        SealingKey rsa = key(SealingKeyType.RSA_2048, true);
        SealingKeys.Snapshot before = SealingKeys.snapshotOf(List.of(rsa), CIPHER);
        String sealedBefore = Jwe.seal(VALUE, before.activeKeyId(), before.activeKey());
        // then a rotation made an X25519 key
        rsa.active = false;
        SealingKey x25519 = key(SealingKeyType.X25519, true);

        SealingKeys.Snapshot after = SealingKeys.snapshotOf(List.of(x25519, rsa), CIPHER);

        assertThat(after.activeKeyId()).isEqualTo(x25519.keyId);
        assertThat(after.jwks()).doesNotContain(rsa.keyId);
        assertThat(Jwe.open("DB_PASSWORD", sealedBefore, after.privateKeys())).isEqualTo(VALUE);
        String sealedAfter = Jwe.seal(VALUE, after.activeKeyId(), after.activeKey());
        assertThat(Jwe.open("DB_PASSWORD", sealedAfter, after.privateKeys())).isEqualTo(VALUE);
    }

    @Test
    void aValueCannotMakeAKeyServeAnotherAlgorithm() throws Exception {
        SealingKeys.Snapshot keys = SealingKeys.snapshotOf(List.of(key(SealingKeyType.X25519, true)), CIPHER);
        // the same key agreement without the key wrap: a valid JWE, but not the algorithm the key is published for
        JsonWebEncryption direct = new JsonWebEncryption();
        direct.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.ECDH_ES);
        direct.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        direct.setKeyIdHeaderValue(keys.activeKeyId());
        direct.setKey(keys.activeKey());
        direct.setPlaintext(VALUE);
        String compact = direct.getCompactSerialization();
        // give it the shape of a wrapped key so that the algorithm check is what refuses it
        String[] parts = compact.split("\\.", -1);
        String withKey = parts[0] + ".AAAA." + parts[2] + "." + parts[3] + "." + parts[4];

        assertThatThrownBy(() -> Jwe.open("DB_PASSWORD", withKey, keys.privateKeys()))
                .isInstanceOf(SealedValueException.class)
                .hasMessageContaining("does not open");
        assertThat(Jwe.open("DB_PASSWORD", Jwe.seal(VALUE, keys.activeKeyId(), keys.activeKey()), keys.privateKeys()))
                .isEqualTo(VALUE);
    }

    private static SealingKey key(SealingKeyType type, boolean active) {
        SealingKey key = SealingKeys.newKey(type, CIPHER, Instant.now());
        key.active = active;
        return key;
    }
}
