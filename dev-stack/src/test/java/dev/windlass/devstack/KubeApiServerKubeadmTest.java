package dev.windlass.devstack;

import static dev.windlass.devstack.ShapedClusters.client;
import static dev.windlass.devstack.ShapedClusters.decoded;
import static dev.windlass.devstack.ShapedClusters.statusWithClientCertificate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose certificates and kubeconfig are shaped as kubeadm issues them. */
class KubeApiServerKubeadmTest {

    static KubeApiServer kubeadm;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kubeadm = KubeApiServer.create(ClusterShape.KUBEADM);
        kubeadm.start();
    }

    @AfterAll
    static void stop() {
        kubeadm.close();
    }

    @Test
    void theKubeconfigIsAdminConfWithRsaCertificatesAndAPkcs1Key() {
        JsonNode kubeconfig = ShapedClusters.parse(kubeadm.kubeconfigYaml());
        ShapedClusters.assertKubeconfigLayout(kubeconfig);

        assertThat(kubeconfig.path("current-context").asText()).isEqualTo("kubernetes-admin@kubernetes");
        JsonNode cluster = kubeconfig.path("clusters").path(0);
        assertThat(cluster.path("name").asText()).isEqualTo("kubernetes");
        assertThat(cluster.path("cluster").path("server").asText()).isEqualTo(kubeadm.url());
        JsonNode context = kubeconfig.path("contexts").path(0);
        assertThat(List.of(
                        context.path("name").asText(),
                        context.path("context").path("cluster").asText(),
                        context.path("context").path("user").asText()))
                .containsExactly("kubernetes-admin@kubernetes", "kubernetes", "kubernetes-admin");
        JsonNode user = kubeconfig.path("users").path(0);
        assertThat(user.path("name").asText()).isEqualTo("kubernetes-admin");

        X509Certificate ca = Pem.parseCertificates(
                        decoded(cluster.path("cluster").path("certificate-authority-data")))
                .get(0);
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=kubernetes");
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("RSA");

        List<X509Certificate> chain =
                Pem.parseCertificates(decoded(user.path("user").path("client-certificate-data")));
        assertThat(chain)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=kubernetes-admin,O=system:masters");
        assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("RSA");

        assertThat(decoded(user.path("user").path("client-key-data")))
                .startsWith("-----BEGIN RSA PRIVATE KEY-----")
                .isEqualTo(kubeadm.adminClientKeyPem());
    }

    @Test
    void aClientFromTheWrittenKubeconfigListsNamespacesAsItComes() throws Exception {
        Path file = kubeadm.writeKubeconfig(dir.resolve("admin.conf"));
        try (KubernetesClient client = client(Config.fromKubeconfig(Files.readString(file)))) {
            assertThat(client.namespaces().list().getItems())
                    .extracting(ns -> ns.getMetadata().getName())
                    .contains("default", "kube-system");
        }
    }

    @Test
    void aClientCertificateFromAK3sCaIsRefused() throws Exception {
        ClusterCertificates k3s = ClusterCertificates.generate(ClusterShape.K3S, dir);
        assertThat(statusWithClientCertificate(
                        kubeadm.url(), kubeadm.caCertPem(), k3s.adminCertPem(), k3s.adminKeyPem()))
                .isEqualTo(401);
        // the same request with the server's own admin certificate passes
        assertThat(statusWithClientCertificate(
                        kubeadm.url(), kubeadm.caCertPem(), kubeadm.adminClientCertPem(), kubeadm.adminClientKeyPem()))
                .isEqualTo(200);
    }

    @Test
    void theNodeSimulatorReportsADeploymentAvailable() {
        try (NodeSimulator simulator = NodeSimulator.start(kubeadm.adminClient())) {
            ShapedClusters.rollOut(kubeadm.adminClient(), "default", "hello-kubeadm");
            // the Deployment reads available as soon as the simulator's status update lands, a moment before the
            // simulator counts it
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(simulator.rolledOut()).isPositive());
        }
    }

    @Test
    void hasNoStaticToken() {
        assertThatThrownBy(kubeadm::staticAdminToken).isInstanceOf(IllegalStateException.class);
    }
}
