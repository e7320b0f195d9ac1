package dev.windlass.deployer.trust;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The kind of sealing key the deployer makes (its first key and every rotation): values are sealed to an X25519 or
 * P-256 key with {@code ECDH-ES+A256KW}, to an RSA key with {@code RSA-OAEP-256}. Keys of every kind open what was
 * sealed to them for as long as they are kept, whatever kind is made now (docs/decisions.md, "Sealing keys: X25519
 * by default").
 */
public enum SealingKeyType {
    /** Curve25519 (RFC 8037): the cheapest to open, about a sixth of an RSA-2048 key's CPU. */
    X25519,
    /** NIST P-256: for producers whose JOSE library has no X25519. */
    P_256,
    /** RSA-2048 with OAEP (SHA-256): what every JOSE library seals to; the costliest to open. */
    RSA_2048;

    /** A new key pair of this kind, as a JWK without id, use or algorithm yet. */
    PublicJsonWebKey generate() throws JoseException {
        return switch (this) {
            case X25519 -> OkpJwkGenerator.generateJwk(OctetKeyPairJsonWebKey.SUBTYPE_X25519);
            case P_256 -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
            case RSA_2048 -> RsaJwkGenerator.generateJwk(2048);
        };
    }
}
