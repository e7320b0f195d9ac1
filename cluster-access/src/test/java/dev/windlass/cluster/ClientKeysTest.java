package dev.windlass.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientKeysTest {

    private final ClusterClients clients = new ClusterClients(
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            "test",
            new ServiceAccountMount(java.nio.file.Path.of("/nonexistent"), Map.of()));

    static Stream<Arguments> keyForms() throws Exception {
        KeyPair rsa = TestKeys.rsa();
        KeyPair p256 = TestKeys.ec("secp256r1");
        KeyPair p384 = TestKeys.ec("secp384r1");
        return Stream.of(
                Arguments.of("RSA PKCS#1 (kubeadm)", rsa, TestKeys.traditionalPem(rsa), "RSA", "RSA PRIVATE KEY"),
                Arguments.of("RSA PKCS#8", rsa, TestKeys.pkcs8Pem(rsa), "RSA", "BEGIN PRIVATE KEY"),
                Arguments.of("EC P-256 SEC1 (k3s)", p256, TestKeys.traditionalPem(p256), "EC", "EC PRIVATE KEY"),
                Arguments.of("EC P-256 PKCS#8", p256, TestKeys.pkcs8Pem(p256), "EC", "BEGIN PRIVATE KEY"),
                Arguments.of("EC P-384 SEC1", p384, TestKeys.traditionalPem(p384), "EC", "EC PRIVATE KEY"),
                Arguments.of("EC P-384 PKCS#8", p384, TestKeys.pkcs8Pem(p384), "EC", "BEGIN PRIVATE KEY"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void everyKeyFormAClusterHandsOutReachesTheKubernetesClientsKeyStore(
            String form, KeyPair pair, String keyPem, String algorithm, String header) throws Exception {
        assertThat(keyPem).contains(header);
        Config config = clients.config(
                certificate(TestKeys.certificatePem(pair, Instant.now().plusSeconds(3600)), keyPem));

        assertThat(config.getClientKeyAlgo()).isEqualTo(algorithm);
        KeyManager[] managers = SSLUtils.keyManagers(config);
        X509KeyManager manager = (X509KeyManager) managers[0];
        String alias = manager.getClientAliases(algorithm, null)[0];
        // the key the client signs the TLS handshake with is the private half of the certificate's key
        String signature = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        java.security.Signature signer = java.security.Signature.getInstance(signature);
        signer.initSign(manager.getPrivateKey(alias));
        signer.update(new byte[] {1, 2, 3});
        java.security.Signature verifier = java.security.Signature.getInstance(signature);
        verifier.initVerify(pair.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void withoutTheAlgorithmTheClientReadsAnEcKeyAsRsaAndFails() throws Exception {
        // the defect this module exists for: Fabric8 assumes RSA unless told otherwise
        KeyPair p256 = TestKeys.ec("secp256r1");
        Config config = clients.config(certificate(
                TestKeys.certificatePem(p256, Instant.now().plusSeconds(3600)), TestKeys.traditionalPem(p256)));
        config.setClientKeyAlgo(null);
        config.setClientKeyData(java.util.Base64.getEncoder()
                .encodeToString(TestKeys.traditionalPem(p256).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        assertThatThrownBy(() -> SSLUtils.keyManagers(config)).isNotNull();
    }

    @Test
    void anEd25519KeyIsReadForTheTlsLayerAndKeptOutOfTheClientsOwnKeyLoading() throws Exception {
        KeyPair ed = TestKeys.ed25519();

        assertThat(ClientKeys.read(TestKeys.pkcs8Pem(ed)).algorithm()).isEqualTo("Ed25519");
        Config config = clients.config(
                certificate(TestKeys.certificatePem(ed, Instant.now().plusSeconds(3600)), TestKeys.pkcs8Pem(ed)));
        // fabric8 cannot load it, so it is not given to fabric8; builder() hands it to TLS
        assertThat(config.getClientKeyData()).isNull();
        assertThat(config.getClientCertData()).isNull();
    }

    @Test
    void anEd448KeyIsRefusedSayingWhichKeysWork() throws Exception {
        KeyPair ed448 = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair();

        assertThatThrownBy(() -> ClientKeys.read(TestKeys.pkcs8Pem(ed448)))
                .isInstanceOf(CredentialsException.class)
                .hasMessage("the client key is Ed448; Windlass signs in with RSA, EC (P-256, P-384) or Ed25519 keys");
    }

    @Test
    void anUnreadableKeyIsRefusedWithoutQuotingIt() {
        String garbage = "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END EC PRIVATE KEY-----\n";

        assertThatThrownBy(() -> ClientKeys.read(garbage))
                .isInstanceOf(CredentialsException.class)
                .hasMessageStartingWith("the client key cannot be read")
                .hasMessageNotContaining("bm90IGEga2V5");
    }

    private static ClusterCredentials certificate(String certificatePem, String keyPem) {
        return new ClusterCredentials(
                "k3s",
                "https://127.0.0.1:6443",
                ClusterAuth.CERTIFICATE,
                null,
                certificatePem,
                keyPem,
                null,
                false,
                "default");
    }
}
