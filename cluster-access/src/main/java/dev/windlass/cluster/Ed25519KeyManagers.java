package dev.windlass.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/** TLS key managers holding an Ed25519 client key and its certificate chain, from PEM. */
final class Ed25519KeyManagers {

    private static final char[] IN_MEMORY = "windlass".toCharArray();

    private Ed25519KeyManagers() {}

    static KeyManager[] of(String certificatePem, String keyPem) {
        try {
            String pkcs8 = ClientKeys.read(keyPem)
                    .pkcs8Pem()
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance(ClientKeys.ED25519)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)))
                    .toArray(new Certificate[0]);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, IN_MEMORY, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            if (e instanceof CredentialsException credentials) {
                throw credentials;
            }
            throw new CredentialsException("the Ed25519 client key and certificate cannot be used together: "
                    + e.getClass().getSimpleName());
        }
    }
}
