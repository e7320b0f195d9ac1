package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.ClusterShape;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.local.LocalOrchestrators;
import dev.windlass.devstack.local.LocalSuite;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting an orchestrator that still has apps, through the gateway against the real registry, deployer and API
 * server: refused naming the apps; {@code orphan} forgets it and leaves the app running, the audit naming it;
 * registered again, {@code undeploy} removes its app from the cluster and then the orchestrator.
 */
class OrchestratorDeletionTest {

    @TempDir
    Path dir;

    @Test
    void anOrchestratorWithAppsGoesOnlyWithItsAppsUndeployedOrLeftRunningOnPurpose() throws Exception {
        LocalSuite suite = RunningSuite.get();
        try (KubeApiServer cluster = KubeApiServer.create(ClusterShape.KUBEADM)) {
            cluster.start();
            Path kubeconfig = ownContext(cluster.writeKubeconfig(dir.resolve("leaving.yaml")), cluster);
            try (NodeSimulator nodes = NodeSimulator.start(cluster.adminClient())) {
                // orphan: the app keeps running, Windlass forgets the orchestrator and says which apps it left
                LocalOrchestrators.Registered first = suite.registerKubeconfig(kubeconfig.toFile());
                assertThat(first.status()).as(first.message()).isEqualTo("CONNECTED");
                succeeded(suite, GatewayCalls.deploy(suite, first.name(), "kept"));

                HttpResponse<String> refused =
                        GatewayCalls.asAdmin(suite, "DELETE", "/api/orchestrators/" + first.id());
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
                assertThat(GatewayCalls.JSON
                                .readTree(refused.body())
                                .get("detail")
                                .asText())
                        .contains("demo/kept");

                HttpResponse<String> orphaned =
                        GatewayCalls.asAdmin(suite, "DELETE", "/api/orchestrators/" + first.id() + "?cascade=orphan");
                assertThat(orphaned.statusCode()).as(orphaned.body()).isEqualTo(204);
                assertThat(GatewayCalls.asAdmin(suite, "GET", "/api/orchestrators/" + first.id())
                                .statusCode())
                        .isEqualTo(404);
                assertThat(deployment(cluster, "kept")).as("left running").isTrue();
                var audit = GatewayCalls.JSON.readTree(
                        GatewayCalls.asAdmin(suite, "GET", "/api/orchestrators/" + first.id() + "/audit")
                                .body());
                assertThat(audit.get("items").get(0).get("action").asText()).isEqualTo("DELETED");
                assertThat(audit.get("items").get(0).get("details").asText())
                        .isEqualTo("left running and forgotten: demo/kept");

                // the deletion reaches the deployer as an event: until then it may still serve the name from the
                // connection material it keeps, and a deploy to the name registered again would be recorded against
                // the deleted orchestrator's id
                Awaitility.await("the deployer has forgotten the deleted orchestrator")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() ->
                                GatewayCalls.asAdmin(suite, "GET", "/api/apps/" + first.name() + "/demo/kept/status")
                                                .statusCode()
                                        == 404);

                // undeploy: registered again, its new app is removed from the cluster, then the orchestrator
                LocalOrchestrators.Registered second = suite.registerKubeconfig(kubeconfig.toFile());
                assertThat(second.status()).as(second.message()).isEqualTo("CONNECTED");
                assertThat(second.name()).isEqualTo(first.name());
                String removed = GatewayCalls.deploy(suite, second.name(), "removed");
                succeeded(suite, removed);
                assertThat(GatewayCalls.get(suite, "/api/deployments/" + removed)
                                .get("orchestratorId")
                                .asText())
                        .as("recorded against the orchestrator registered again")
                        .isEqualTo(second.id());
                HttpResponse<String> undeploying = GatewayCalls.asAdmin(
                        suite, "DELETE", "/api/orchestrators/" + second.id() + "?cascade=undeploy");
                assertThat(undeploying.statusCode()).as(undeploying.body()).isEqualTo(202);
                assertThat(GatewayCalls.JSON
                                .readTree(undeploying.body())
                                .get(0)
                                .get("app")
                                .asText())
                        .isEqualTo("removed");
                Awaitility.await("the orchestrator deleted once its app is gone")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> GatewayCalls.asAdmin(suite, "GET", "/api/orchestrators/" + second.id())
                                        .statusCode()
                                == 404);
                assertThat(deployment(cluster, "removed"))
                        .as("undeployed first")
                        .isFalse();
                assertThat(deployment(cluster, "kept"))
                        .as("the orphan is still left alone")
                        .isTrue();
            }
        }
    }

    /**
     * The kubeconfig with a context name of this test's own: a context is registered as {@code kubeconfig-<context>},
     * and every kubeadm-shaped kubeconfig names its context {@code kubernetes-admin@kubernetes}, so another test's
     * orchestrator of that name (its apps, its API server gone) would otherwise be updated here instead of a new one
     * being registered.
     */
    private static Path ownContext(Path kubeconfig, KubeApiServer cluster) throws java.io.IOException {
        String yaml = java.nio.file.Files.readString(kubeconfig);
        java.nio.file.Files.writeString(kubeconfig, yaml.replace(cluster.shape().contextName(), "leaving"));
        return kubeconfig;
    }

    private void succeeded(LocalSuite suite, String id) {
        Awaitility.await("deployment " + id)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String phase = GatewayCalls.JSON
                            .readTree(GatewayCalls.asAdmin(suite, "GET", "/api/deployments/" + id)
                                    .body())
                            .get("phase")
                            .asText();
                    if (phase.equals("FAILED")) {
                        throw new AssertionError("deployment " + id + " FAILED");
                    }
                    return phase.equals("SUCCEEDED");
                });
    }

    private static boolean deployment(KubeApiServer cluster, String app) {
        return cluster.adminClient()
                        .apps()
                        .deployments()
                        .inNamespace("demo")
                        .withName(app)
                        .get()
                != null;
    }
}
