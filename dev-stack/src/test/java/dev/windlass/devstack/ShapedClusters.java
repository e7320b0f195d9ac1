package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.awaitility.Awaitility;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** What the K3S- and KUBEADM-shaped servers' tests share: reading kubeconfigs, building clients, a rollout. */
final class ShapedClusters {

    private ShapedClusters() {}

    /** The kubeconfig as a tree, keys exactly as written. */
    static JsonNode parse(String kubeconfigYaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(kubeconfigYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The layout both distributions write: these keys, in this order, and embedded credentials only. */
    static void assertKubeconfigLayout(JsonNode kubeconfig) {
        assertThat(kubeconfig.fieldNames())
                .toIterable()
                .containsExactly(
                        "apiVersion", "clusters", "contexts", "current-context", "kind", "preferences", "users");
        assertThat(kubeconfig.path("clusters").path(0).path("cluster").fieldNames())
                .toIterable()
                .containsExactly("certificate-authority-data", "server");
        assertThat(kubeconfig.path("users").path(0).path("user").fieldNames())
                .toIterable()
                .containsExactly("client-certificate-data", "client-key-data");
        assertThat(List.of(
                        kubeconfig.path("apiVersion").asText(),
                        kubeconfig.path("kind").asText(),
                        kubeconfig.path("clusters").size(),
                        kubeconfig.path("contexts").size(),
                        kubeconfig.path("users").size()))
                .containsExactly("v1", "Config", 1, 1, 1);
    }

    /** A {@code *-data} field of the kubeconfig, decoded. */
    static String decoded(JsonNode base64) {
        assertThat(base64.isTextual()).as("a base64 string").isTrue();
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.US_ASCII);
    }

    /** A client that does not retry, so a refusal shows at once. */
    static KubernetesClient client(Config config) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(config)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    /**
     * The status of {@code GET /api/v1/namespaces} on the server at {@code url}, trusting
     * {@code caPem} and presenting the client certificate whatever CAs the server asks for (a JDK
     * client otherwise sends none when its certificate's issuer is not among them, and the request
     * would simply be anonymous).
     */
    static int statusWithClientCertificate(String url, String caPem, String certPem, String keyPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.parseCertificates(caPem).get(0));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        PrivateKey key;
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            key = new JcaPEMKeyConverter()
                    .getKeyPair((PEMKeyPair) parser.readObject())
                    .getPrivate();
        }
        keys.setKeyEntry(
                "client", key, new char[0], Pem.parseCertificates(certPem).toArray(new X509Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys, new char[0]);
        X509ExtendedKeyManager chosen = (X509ExtendedKeyManager) keyManagers.getKeyManagers()[0];

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[] {new AlwaysPresent(chosen)}, trustManagers.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
        return http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/v1/namespaces"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Offers the one client certificate it holds, whichever issuers the server names. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** Creates a one-replica Deployment and waits until the node simulator reports it available. */
    static Deployment rollOut(KubernetesClient admin, String namespace, String name) {
        admin.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(name)
                        .withImage("nginx:1.27")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> admin.apps()
                                .deployments()
                                .inNamespace(namespace)
                                .withName(name)
                                .get(),
                        d -> d.getStatus() != null
                                && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas()));
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
