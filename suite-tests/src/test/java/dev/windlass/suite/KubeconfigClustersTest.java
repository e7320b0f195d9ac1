package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.ClusterShape;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.local.LocalOrchestrators;
import dev.windlass.devstack.local.LocalSuite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clusters registered from their own kubeconfig, as k3s (EC P-256 client certificate under EC CAs) and kubeadm (RSA)
 * write it, the way {@code ./windlass-local --with-kubeconfig} registers one: the connection test says CONNECTED
 * and a deploy through the gateway reaches SUCCEEDED on that API server.
 */
class KubeconfigClustersTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = ClusterShape.class,
            names = {"K3S", "KUBEADM"})
    void aClusterRegisteredFromItsKubeconfigIsConnectedAndDeploysToSucceeded(ClusterShape shape) throws Exception {
        LocalSuite suite = RunningSuite.get();
        try (KubeApiServer cluster = KubeApiServer.create(shape)) {
            cluster.start();
            Path kubeconfig = cluster.writeKubeconfig(dir.resolve(shape.name().toLowerCase() + ".yaml"));
            try (NodeSimulator nodes = NodeSimulator.start(cluster.adminClient())) {
                LocalOrchestrators.Registered registered = suite.registerKubeconfig(kubeconfig.toFile());

                assertThat(registered).isNotNull();
                assertThat(registered.status())
                        .as("connection test of %s: %s", registered.name(), registered.message())
                        .isEqualTo("CONNECTED");
                JsonNode orchestrator = GatewayCalls.get(suite, "/api/orchestrators/" + registered.id());
                assertThat(orchestrator.get("type").asText()).isEqualTo(shape == ClusterShape.K3S ? "K3S" : "K8S");
                assertThat(orchestrator.get("authType").asText()).isEqualTo("CERTIFICATE");

                String app = "hello-" + shape.name().toLowerCase();
                String id = GatewayCalls.deploy(suite, registered.name(), app);
                AtomicReference<JsonNode> last = new AtomicReference<>();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            last.set(GatewayCalls.get(suite, "/api/deployments/" + id));
                            return Set.of("SUCCEEDED", "FAILED")
                                    .contains(last.get().get("phase").asText());
                        });
                assertThat(last.get().get("phase").asText())
                        .as(
                                "deployment to %s: %s",
                                registered.name(), last.get().get("message"))
                        .isEqualTo("SUCCEEDED");
                assertThat(cluster.adminClient()
                                .apps()
                                .deployments()
                                .inNamespace("demo")
                                .withName(app)
                                .get())
                        .isNotNull();
            }
        }
    }
}
