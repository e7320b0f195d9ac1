package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.local.LocalSuite;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The suite starts from the built jars, the gateway knows who is signed in, and the node simulator rolls out. */
class SuiteSmokeTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void gatewayAnswersForASignedInDeployer() throws Exception {
        LocalSuite suite = RunningSuite.get();
        HttpResponse<String> me = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/me"))
                        .header("Authorization", "Bearer " + suite.oidc().accessToken(DevUser.DEPLOYER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"deployer\"").contains("windlass-deployers");
    }

    @Test
    void nodeSimulatorReportsADeploymentAvailable() {
        LocalSuite suite = RunningSuite.get();
        var client = suite.kube().adminClient();
        suite.kube().ensureNamespace("smoke");
        Deployment created = client.apps()
                .deployments()
                .inNamespace("smoke")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("hello")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .addToMatchLabels("app", "hello")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "hello")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("hello")
                        .withImage("nginx:1.27")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment now = client.apps()
                    .deployments()
                    .inNamespace("smoke")
                    .withName("hello")
                    .get();
            assertThat(now.getStatus()).isNotNull();
            assertThat(now.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(now.getStatus().getObservedGeneration())
                    .isEqualTo(created.getMetadata().getGeneration());
        });
        assertThat(client.nodes().withName(NodeSimulator.NODE_NAME).get()).isNotNull();
    }
}
