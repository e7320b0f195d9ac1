package dev.windlass.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterClientsTest {

    private static final String KUBECONFIG_OF_THE_MACHINE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: laptop
              cluster: {server: "https://laptop.example:6443"}
            users:
            - name: laptop-admin
              user: {token: "token-of-the-machine"}
            contexts:
            - name: laptop
              context: {cluster: laptop, user: laptop-admin, namespace: laptop-ns}
            current-context: laptop
            """;

    @TempDir
    Path home;

    @TempDir
    Path mount;

    private final String previousHome = System.getProperty("user.home");
    private final String previousKubeconfig = System.getProperty("kubeconfig");

    @AfterEach
    void restore() {
        System.setProperty("user.home", previousHome);
        if (previousKubeconfig == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", previousKubeconfig);
        }
    }

    @Test
    void inClusterReadsThePodsServiceAccountAndIgnoresTheMachinesKubeconfig() throws Exception {
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), KUBECONFIG_OF_THE_MACHINE);
        System.setProperty("user.home", home.toString());
        System.setProperty("kubeconfig", home.resolve(".kube/config").toString());
        Files.writeString(mount.resolve("token"), "pod-token\n");
        Files.writeString(mount.resolve("namespace"), "windlass-system");
        String ca = TestKeys.certificatePem(
                TestKeys.ec("secp256r1"), java.time.Instant.now().plusSeconds(3600));
        Files.writeString(mount.resolve("ca.crt"), ca);
        ClusterClients clients = clients(new ServiceAccountMount(
                mount, Map.of("KUBERNETES_SERVICE_HOST", "10.43.0.1", "KUBERNETES_SERVICE_PORT", "443")));

        Config config = clients.config(inCluster(null));

        assertThat(config.getMasterUrl()).isEqualTo("https://10.43.0.1:443/");
        assertThat(config.getOauthToken()).isEqualTo("pod-token");
        assertThat(config.getNamespace()).isEqualTo("windlass-system");
        assertThat(new String(java.util.Base64.getDecoder().decode(config.getCaCertData())))
                .isEqualTo(ca);
        assertThat(config.getCurrentContext()).isNull();
    }

    @Test
    void inClusterOutsideAPodSaysWhatIsMissing() {
        ClusterClients clients = clients(new ServiceAccountMount(mount, Map.of()));

        assertThatThrownBy(() -> clients.config(inCluster("default")))
                .isInstanceOf(CredentialsException.class)
                .hasMessage("IN_CLUSTER needs the service to run in a Kubernetes pod with a ServiceAccount token"
                        + " mounted at " + mount + " and KUBERNETES_SERVICE_HOST set; none is here");
    }

    @Test
    void aTokenOrchestratorWithoutATokenIsRefused() {
        ClusterClients clients = clients(new ServiceAccountMount(mount, Map.of()));
        ClusterCredentials noToken = new ClusterCredentials(
                "edge", "https://127.0.0.1:6443", ClusterAuth.TOKEN, " ", null, null, null, false, "default");

        assertThatThrownBy(() -> clients.config(noToken))
                .isInstanceOf(CredentialsException.class)
                .hasMessage("orchestrator edge uses TOKEN auth but has no token");
    }

    @Test
    void aTokenOrchestratorTalksToItsOwnServerWithItsOwnToken() {
        ClusterClients clients = clients(new ServiceAccountMount(mount, Map.of()));
        ClusterCredentials edge = new ClusterCredentials(
                "edge", "https://192.0.2.10:6443", ClusterAuth.TOKEN, "edge-token", null, null, null, false, "apps");

        Config config = clients.config(edge);

        assertThat(config.getMasterUrl()).isEqualTo("https://192.0.2.10:6443/");
        assertThat(config.getOauthToken()).isEqualTo("edge-token");
        assertThat(config.getNamespace()).isEqualTo("apps");
        assertThat(config.getRequestRetryBackoffLimit()).isZero();
        assertThat(config.getWatchReconnectLimit()).isZero();
        assertThat(config.getUserAgent()).isEqualTo("test-agent");
    }

    private static ClusterClients clients(ServiceAccountMount mount) {
        return new ClusterClients(Duration.ofSeconds(2), Duration.ofSeconds(3), "test-agent", mount);
    }

    private static ClusterCredentials inCluster(String namespace) {
        return new ClusterCredentials("home", null, ClusterAuth.IN_CLUSTER, null, null, null, null, false, namespace);
    }
}
