package dev.windlass.devstack;

import static dev.windlass.devstack.ShapedClusters.client;
import static dev.windlass.devstack.ShapedClusters.decoded;
import static dev.windlass.devstack.ShapedClusters.statusWithClientCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose certificates and kubeconfig are shaped as k3s issues them. */
class KubeApiServerK3sTest {

    static KubeApiServer k3s;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        k3s = KubeApiServer.create(ClusterShape.K3S);
        k3s.start();
    }

    @AfterAll
    static void stop() {
        k3s.close();
    }

    @Test
    void theKubeconfigIsK3sYamlWithEcCertificatesAndASec1Key() {
        JsonNode kubeconfig = ShapedClusters.parse(k3s.kubeconfigYaml());
        ShapedClusters.assertKubeconfigLayout(kubeconfig);

        assertThat(kubeconfig.path("current-context").asText()).isEqualTo("default");
        JsonNode cluster = kubeconfig.path("clusters").path(0);
        assertThat(cluster.path("name").asText()).isEqualTo("default");
        assertThat(cluster.path("cluster").path("server").asText())
                .isEqualTo(k3s.url())
                .startsWith("https://127.0.0.1:");
        JsonNode context = kubeconfig.path("contexts").path(0);
        assertThat(List.of(
                        context.path("name").asText(),
                        context.path("context").path("cluster").asText(),
                        context.path("context").path("user").asText()))
                .containsExactly("default", "default", "default");
        JsonNode user = kubeconfig.path("users").path(0);
        assertThat(user.path("name").asText()).isEqualTo("default");

        String caPem = decoded(cluster.path("cluster").path("certificate-authority-data"));
        X509Certificate ca = Pem.parseCertificates(caPem).get(0);
        assertThat(ca.getSubjectX500Principal().getName()).matches("CN=k3s-server-ca@\\d+");
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(caPem).isEqualTo(k3s.caCertPem());

        String certPem = decoded(user.path("user").path("client-certificate-data"));
        List<X509Certificate> chain = Pem.parseCertificates(certPem);
        assertThat(chain)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .hasSize(2)
                .first()
                .isEqualTo("CN=system:admin,O=system:masters");
        assertThat(chain.get(1).getSubjectX500Principal().getName()).matches("CN=k3s-client-ca@\\d+");
        assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certPem).isEqualTo(k3s.adminClientCertPem());

        String keyPem = decoded(user.path("user").path("client-key-data"));
        assertThat(keyPem).startsWith("-----BEGIN EC PRIVATE KEY-----").isEqualTo(k3s.adminClientKeyPem());
    }

    @Test
    void aClientFromTheWrittenKubeconfigListsNamespaces() throws Exception {
        Path file = k3s.writeKubeconfig(dir.resolve("k3s.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        // Fabric8 reads an EC client key only when told its algorithm.
        Config config = Config.fromKubeconfig(Files.readString(file));
        config.setClientKeyAlgo(ClusterShape.K3S.clientKeyAlgorithm());
        try (KubernetesClient client = client(config)) {
            assertThat(client.namespaces().list().getItems())
                    .extracting(ns -> ns.getMetadata().getName())
                    .contains("default", "kube-system");
        }
    }

    @Test
    void theStaticAdminTokenIsAClusterAdmin() {
        try (KubernetesClient client = tokenClient(k3s.staticAdminToken())) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("by-token")
                            .endMetadata()
                            .build())
                    .create();
            assertThat(client.namespaces().withName("by-token").get()).isNotNull();
        }
        try (KubernetesClient client = tokenClient("0123456789abcdef0123456789abcdef")) {
            assertThatThrownBy(() -> client.namespaces().list())
                    .isInstanceOfSatisfying(
                            KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }

    @Test
    void aClientCertificateFromAKubeadmCaIsRefused() throws Exception {
        ClusterCertificates kubeadm = ClusterCertificates.generate(ClusterShape.KUBEADM, dir);
        assertThat(statusWithClientCertificate(
                        k3s.url(), k3s.caCertPem(), kubeadm.adminCertPem(), kubeadm.adminKeyPem()))
                .isEqualTo(401);
        // the same request with the server's own admin certificate passes
        assertThat(statusWithClientCertificate(
                        k3s.url(), k3s.caCertPem(), k3s.adminClientCertPem(), k3s.adminClientKeyPem()))
                .isEqualTo(200);
    }

    @Test
    void theNodeSimulatorReportsADeploymentAvailable() {
        try (NodeSimulator simulator = NodeSimulator.start(k3s.adminClient())) {
            ShapedClusters.rollOut(k3s.adminClient(), "default", "hello-k3s");
            // the Deployment reads available as soon as the simulator's status update lands, a moment before the
            // simulator counts it
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(simulator.rolledOut()).isPositive());
        }
    }

    @Test
    void runsNextToADefaultClusterWithItsOwnPortAndData() {
        try (KubeApiServer other = KubeApiServer.create()) {
            other.start();
            assertThat(other.url()).isNotEqualTo(k3s.url());
            k3s.ensureNamespace("only-on-k3s");
            other.ensureNamespace("only-on-the-other");

            assertThat(other.adminClient().namespaces().withName("only-on-k3s").get())
                    .isNull();
            assertThat(k3s.adminClient()
                            .namespaces()
                            .withName("only-on-the-other")
                            .get())
                    .isNull();
            assertThat(k3s.adminClient().namespaces().withName("only-on-k3s").get())
                    .isNotNull();
        }
        assertThat(k3s.adminClient().namespaces().withName("default").get()).isNotNull();
    }

    @Test
    void theAdminClientAndTokenWorkAfterAnApiServerRestart() {
        k3s.stopApiServer();
        assertThat(k3s.isApiServerRunning()).isFalse();
        k3s.startApiServer();

        assertThat(k3s.adminClient().namespaces().withName("default").get()).isNotNull();
        try (KubernetesClient client = tokenClient(k3s.staticAdminToken())) {
            assertThat(client.namespaces().withName("kube-system").get()).isNotNull();
        }
    }

    private static KubernetesClient tokenClient(String token) {
        return client(new ConfigBuilder(Config.empty())
                .withMasterUrl(k3s.url())
                .withCaCertData(ShapedClusters.base64(k3s.caCertPem()))
                .withOauthToken(token)
                .build());
    }
}
