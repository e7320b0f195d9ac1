package dev.windlass.cluster;

import java.security.PrivateKey;
import java.util.Base64;

/**
 * Turns a client key in any form a cluster hands out into the one form the Kubernetes client reads: unencrypted
 * PKCS#8 with the algorithm named. k3s writes EC P-256 keys as SEC1 ({@code EC PRIVATE KEY}), kubeadm RSA keys as
 * PKCS#1 ({@code RSA PRIVATE KEY}), openssl and cloud tools often PKCS#8. The Fabric8 client takes RSA keys unless
 * told otherwise and loads only RSA and EC keys itself; an Ed25519 key is handed to the TLS layer by
 * {@link ClusterClients} instead.
 */
public final class ClientKeys {

    /** A key ready for the Kubernetes client: {@code algorithm} is {@code RSA}, {@code EC} or {@code Ed25519}. */
    public record ClientKey(String algorithm, String pkcs8Pem) {

        @Override
        public String toString() {
            return "ClientKey[algorithm=" + algorithm + ", key redacted]";
        }
    }

    /** The algorithm name of an Ed25519 key, which the Kubernetes client cannot load itself. */
    public static final String ED25519 = "Ed25519";

    private ClientKeys() {}

    private static CredentialsException unsupported(String algorithm) {
        return new CredentialsException(
                "the client key is " + algorithm + "; Windlass signs in with RSA, EC (P-256, P-384) or Ed25519 keys");
    }

    private static boolean isEd25519(PrivateKey key) {
        // the PKCS#8 of an Ed25519 key names OID 1.3.101.112 (Ed448: 1.3.101.113)
        byte[] encoded = key.getEncoded();
        return encoded != null
                && org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(encoded)
                        .getPrivateKeyAlgorithm()
                        .getAlgorithm()
                        .equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519);
    }

    /** The key in {@code pem}, normalised; fails with what is wrong when it cannot be used. */
    public static ClientKey read(String pem) {
        PrivateKey key;
        try {
            key = Pem.privateKey(pem);
        } catch (Pem.PemException e) {
            throw new CredentialsException("the client key cannot be read: " + e.getMessage());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "RSA";
            case "EC", "ECDSA" -> "EC";
            case "Ed25519", "EdDSA" -> ED25519;
            default -> throw unsupported(key.getAlgorithm());
        };
        if (algorithm.equals(ED25519) && !isEd25519(key)) {
            throw unsupported("Ed448");
        }
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new CredentialsException("the client key cannot be encoded as PKCS#8");
        }
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8);
        return new ClientKey(algorithm, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }
}
