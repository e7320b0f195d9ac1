package dev.windlass.deployer.trust;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * JWE compact serializations of single secret values, A256GCM content encryption; the key management algorithm
 * follows the key: {@code ECDH-ES+A256KW} for an X25519 or P-256 key, {@code RSA-OAEP-256} for an RSA key.
 */
public final class Jwe {

    private static final Pattern COMPACT =
            Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+");

    private Jwe() {}

    /** Whether {@code value} has the shape of a JWE compact serialization (five base64url parts). */
    public static boolean looksSealed(String value) {
        return value != null && COMPACT.matcher(value).matches();
    }

    /**
     * The key management algorithm for {@code key}: the only one a value sealed to it may name, so that a value can
     * never make the deployer use its key with another algorithm.
     */
    static String algorithm(Key key) {
        return key instanceof RSAKey
                ? KeyManagementAlgorithmIdentifiers.RSA_OAEP_256
                : KeyManagementAlgorithmIdentifiers.ECDH_ES_A256KW;
    }

    /** The {@code kid} of a JWE's protected header, or null when there is none or the value is no JWE. */
    static String keyId(String value) {
        if (!looksSealed(value)) {
            return null;
        }
        try {
            String header = new String(
                    Base64.getUrlDecoder().decode(value.substring(0, value.indexOf('.'))), StandardCharsets.UTF_8);
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.getHeaders().setFullHeaderAsJsonString(header);
            return jwe.getKeyIdHeaderValue();
        } catch (JoseException | IllegalArgumentException e) {
            return null;
        }
    }

    static String seal(String plaintext, String keyId, PublicKey key) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(algorithm(key));
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKeyIdHeaderValue(keyId);
            jwe.setKey(key);
            jwe.setPlaintext(plaintext);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot seal a value", e);
        }
    }

    static String open(String variable, String value, Map<String, PrivateKey> keys) {
        if (!looksSealed(value)) {
            throw new SealedValueException(variable, true, "is not sealed (a JWE to a key of GET /api/sealing-keys)");
        }
        String keyId = keyId(value);
        PrivateKey key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            throw new SealedValueException(
                    variable, false, "is sealed to a key this deployer does not have (kid " + keyId + ")");
        }
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmConstraints(
                    new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm(key)));
            jwe.setContentEncryptionAlgorithmConstraints(new AlgorithmConstraints(
                    AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM));
            jwe.setCompactSerialization(value);
            jwe.setKey(key);
            return jwe.getPlaintextString();
        } catch (JoseException | RuntimeException e) {
            throw new SealedValueException(variable, false, "does not open with key " + keyId);
        }
    }
}
