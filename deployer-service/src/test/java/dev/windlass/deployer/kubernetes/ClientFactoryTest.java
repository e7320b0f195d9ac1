package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientFactoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ClientFactory factory = new ClientFactory(Duration.ofSeconds(3), Duration.ofSeconds(7));
    private final FabricClusterOperations operations =
            new FabricClusterOperations(TestClusters.settings(), TestClusters.executor());

    @AfterEach
    void close() {
        operations.close();
    }

    @Test
    void aClientCertificateAuthenticates() {
        try (KubernetesClient client = factory.create(TestClusters.admin("cert"))) {
            assertThat(client.namespaces().withName("default").get()).isNotNull();
        }
    }

    @Test
    void aBearerTokenAuthenticates() {
        String namespace = TestClusters.namespace("token");
        ClusterConnection reader = TestClusters.serviceAccount(
                "reader",
                namespace,
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("list")
                        .build()));

        try (KubernetesClient client = factory.create(reader)) {
            assertThat(client.configMaps().inNamespace(namespace).list().getItems())
                    .isNotNull();
        }
    }

    @Test
    void skipTlsVerifyTrustsAServerWithoutItsCa() {
        ClusterConnection admin = TestClusters.admin("skip");
        ClusterConnection withoutCa = certificate(admin, null, true);

        try (KubernetesClient client = factory.create(withoutCa)) {
            assertThat(client.namespaces().withName("default").get()).isNotNull();
        }
    }

    @Test
    void withoutTheServersCaTheTlsHandshakeFailsPermanently() {
        ClusterConnection withoutCa = certificate(TestClusters.admin("no-ca"), null, false);

        assertThatThrownBy(() ->
                        operations.delete(withoutCa, "team-a", "web").await().atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("TLS failure").doesNotContain("gave up");
                });
    }

    @Test
    void aTokenTheServerDoesNotKnowIsUnauthorizedPermanently() {
        ClusterConnection stranger = TestClusters.token(
                "stranger",
                TestClusters.kube().url(),
                "not-a-real-token",
                TestClusters.kube().caCertPem(),
                false);

        assertThatThrownBy(() ->
                        operations.delete(stranger, "team-a", "web").await().atMost(WAIT))
                .isInstanceOfSatisfying(ClusterException.class, e -> {
                    assertThat(e.getStatus()).isEqualTo(401);
                    assertThat(e.isTransientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("Unauthorized").doesNotContain("not-a-real-token");
                });
    }

    @Test
    void incompleteConnectionMaterialIsRefusedPermanently() {
        ClusterConnection admin = TestClusters.admin("broken");
        ClusterConnection noToken = TestClusters.token("broken", admin.apiServerUrl(), " ", null, false);
        ClusterConnection unknown = new ClusterConnection(
                UUID.randomUUID(),
                "odd",
                "K8S",
                "dev",
                admin.apiServerUrl(),
                "KERBEROS",
                null,
                null,
                null,
                null,
                false,
                null,
                null,
                List.of(),
                1);

        assertThatThrownBy(() -> factory.create(noToken))
                .isInstanceOf(ClusterException.class)
                .hasMessage("orchestrator broken uses TOKEN auth but has no token");
        assertThatThrownBy(() -> factory.create(unknown))
                .isInstanceOf(ClusterException.class)
                .hasMessage(
                        "orchestrator odd has an unknown auth type KERBEROS (expected IN_CLUSTER, TOKEN or CERTIFICATE)");
    }

    @Test
    void inClusterUsesThePodsServiceAccountAndNeverTheKubeconfigInHome(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path home,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path mount)
            throws Exception {
        // a kubeconfig of the machine, as an admin's laptop has it: the cluster admin of the same API server
        String previousHome = System.getProperty("user.home");
        java.nio.file.Files.createDirectories(home.resolve(".kube"));
        java.nio.file.Files.writeString(
                home.resolve(".kube/config"), TestClusters.kube().kubeconfigYaml());
        System.setProperty("user.home", home.toString());
        try {
            String namespace = TestClusters.namespace("pod");
            String token = TestClusters.kube()
                    .serviceAccountToken(
                            namespace,
                            "windlass",
                            List.of(new PolicyRuleBuilder()
                                    .withApiGroups("")
                                    .withResources("configmaps")
                                    .withVerbs("list")
                                    .build()));
            java.nio.file.Files.writeString(mount.resolve("token"), token);
            java.nio.file.Files.writeString(
                    mount.resolve("ca.crt"), TestClusters.kube().caCertPem());
            java.nio.file.Files.writeString(mount.resolve("namespace"), namespace);
            java.net.URI url = java.net.URI.create(TestClusters.kube().url());
            ClientFactory inPod = new ClientFactory(
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(7),
                    new dev.windlass.cluster.ServiceAccountMount(
                            mount,
                            java.util.Map.of(
                                    "KUBERNETES_SERVICE_HOST", url.getHost(),
                                    "KUBERNETES_SERVICE_PORT", Integer.toString(url.getPort()))));
            ClusterConnection home1 = new ClusterConnection(
                    UUID.randomUUID(),
                    "home",
                    "K3S",
                    "dev",
                    null,
                    ClientFactory.IN_CLUSTER,
                    null,
                    null,
                    null,
                    null,
                    false,
                    null,
                    null,
                    List.of(),
                    1);

            try (KubernetesClient client = inPod.create(home1)) {
                assertThat(client.getConfiguration().getNamespace()).isEqualTo(namespace);
                assertThat(client.configMaps().inNamespace(namespace).list().getItems())
                        .isNotNull();
                // the ServiceAccount, not the kubeconfig's cluster admin: it may not list namespaces
                assertThatThrownBy(() -> client.namespaces().list())
                        .isInstanceOfSatisfying(
                                io.fabric8.kubernetes.client.KubernetesClientException.class,
                                e -> assertThat(e.getCode()).isEqualTo(403));
            }
        } finally {
            System.setProperty("user.home", previousHome);
        }
    }

    @Test
    void anEd25519ClientCertificateSignsInThoughTheClientCannotLoadTheKeyItself() {
        try (dev.windlass.devstack.KubeApiServer k3s =
                dev.windlass.devstack.KubeApiServer.create(dev.windlass.devstack.ClusterShape.K3S)) {
            k3s.start();
            List<String> issued = k3s.issueEd25519AdminCertificate("ed-admin");
            assertThat(issued.get(1)).startsWith("-----BEGIN PRIVATE KEY-----");
            ClusterConnection ed = new ClusterConnection(
                    UUID.randomUUID(),
                    "ed-edge",
                    "K3S",
                    "dev",
                    k3s.url(),
                    ClientFactory.CERTIFICATE,
                    null,
                    issued.get(0),
                    issued.get(1),
                    k3s.caCertPem(),
                    false,
                    null,
                    "default",
                    List.of(),
                    1);

            try (KubernetesClient client = factory.create(ed)) {
                assertThat(client.namespaces().withName("default").get()).isNotNull();
            }
        }
    }

    @Test
    void theClientHasBoundedTimeoutsAndLeavesRetriesToWindlass() {
        Config config = factory.config(TestClusters.admin("bounded"));

        assertThat(config.getConnectionTimeout()).isEqualTo(3000);
        assertThat(config.getRequestTimeout()).isEqualTo(7000);
        assertThat(config.getRequestRetryBackoffLimit()).isZero();
        assertThat(config.getWatchReconnectLimit()).isZero();
        assertThat(config.getNamespace()).isEqualTo("default");
        assertThat(config.getCaCertData()).isNotBlank();
        assertThat(config.isTrustCerts()).isFalse();
    }

    private static ClusterConnection certificate(ClusterConnection admin, String ca, boolean skipTlsVerify) {
        return new ClusterConnection(
                admin.id(),
                admin.name(),
                admin.type(),
                admin.environment(),
                admin.apiServerUrl(),
                ClientFactory.CERTIFICATE,
                null,
                admin.clientCertificatePem(),
                admin.clientKeyPem(),
                ca,
                skipTlsVerify,
                null,
                null,
                List.of(),
                1);
    }
}
