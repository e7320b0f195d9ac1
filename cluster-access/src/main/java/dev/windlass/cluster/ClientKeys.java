package dev.windlass.cluster;

import java.security.PrivateKey;
import java.util.Base64;

/**
 * Turns a client key in any form a cluster hands out into the one form the Kubernetes client reads for every
 * algorithm: unencrypted PKCS#8 with the algorithm named. k3s writes EC P-256 keys as SEC1 ({@code EC PRIVATE KEY}),
 * kubeadm RSA keys as PKCS#1 ({@code RSA PRIVATE KEY}), cloud tools often PKCS#8. The Fabric8 client takes RSA keys
 * unless told otherwise and reads only RSA and EC keys, so the algorithm must come from the key itself.
 */
public final class ClientKeys {

    /** A key ready for the Kubernetes client: {@code algorithm} is {@code RSA} or {@code EC}. */
    public record ClientKey(String algorithm, String pkcs8Pem) {

        @Override
        public String toString() {
            return "ClientKey[algorithm=" + algorithm + ", key redacted]";
        }
    }

    private ClientKeys() {}

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
            default ->
                throw new CredentialsException("the client key is " + key.getAlgorithm()
                        + "; the Kubernetes client signs in with RSA or EC (P-256, P-384) keys only");
        };
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new CredentialsException("the client key cannot be encoded as PKCS#8");
        }
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8);
        return new ClientKey(algorithm, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    }
}
