package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.DEFAULT_IMAGE;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_NAME;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_VALUE;
import static dev.windlass.deployer.testing.TestSpecs.UPDATED_IMAGE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.LiveApp;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.ClusterShape;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.NodeSimulator;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deployments through the API onto the dev-stack Kubernetes API server, with the real cluster layer. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class DeployEndToEndTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final List<DeploymentPhase> TO_SUCCESS = List.of(
            DeploymentPhase.ACCEPTED, DeploymentPhase.APPLYING, DeploymentPhase.PROGRESSING, DeploymentPhase.SUCCEEDED);

    @TestHTTPResource("/")
    URL base;

    @Test
    void deploysThroughTheApiUntilTheRolloutSucceeds() {
        String app = uniqueApp("web");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");

        Deployment deployment =
                cluster().apps().deployments().inNamespace(NS).withName(app).get();
        assertThat(deployment).isNotNull();
        assertThat(deployment.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", app)
                .containsEntry("app.kubernetes.io/managed-by", "windlass");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                .singleElement()
                .extracting(c -> c.getImage())
                .isEqualTo(DEFAULT_IMAGE);
        assertThat(cluster().services().inNamespace(NS).withName(app).get()).isNotNull();
        assertThat(LiveApp.secretValues(NS, app, SECRET_NAME)).contains(SECRET_VALUE);

        Kubelet.rollOut(NS, app);
        Api.awaitPhase(id, "SUCCEEDED");
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
        await().untilAsserted(() -> assertThat(TestKafka.statuses(id))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactlyElementsOf(TO_SUCCESS));
        assertThat(TestKafka.statuses(id))
                .allSatisfy(status -> assertThat(status.revision()).isEqualTo(1));
    }

    @Test
    void theSpecsSecuritySettingsReachThePodsThroughTheSealedSecretRoundTrip() {
        String app = uniqueApp("locked");
        var security = new dev.windlass.events.spec.SecuritySpec(true, null, List.of("NET_BIND_SERVICE"));
        var base = spec(app);
        var spec = new dev.windlass.events.spec.AppSpec(
                base.name(),
                base.image(),
                base.replicas(),
                null,
                null,
                base.env(),
                base.secretEnv(),
                base.ports(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                security);
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec);
        Api.awaitPhase(id, "PROGRESSING");

        var pod = cluster()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(app)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
                .isTrue();
        assertThat(pod.getContainers()
                        .get(0)
                        .getSecurityContext()
                        .getCapabilities()
                        .getAdd())
                .containsExactly("NET_BIND_SERVICE");
        assertThat(LiveApp.secretValues(NS, app, SECRET_NAME)).contains(SECRET_VALUE);
        rollOut(id, app);
    }

    @Test
    void anUndeployThatLeavesObjectsBehindNeverEndsDeleted() {
        // two orchestrator records reach the same cluster and namespace; the app belongs to the first
        String app = uniqueApp("kept");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        rollOut(id, app);

        // the second record cannot take the app over ...
        UUID takeOver = Api.deploy(RegistryStandIn.FLAKY, NS, spec(app));
        Api.awaitPhase(takeOver, "FAILED");
        assertThat(TestDb.column("select message from deployments where id = ?", takeOver))
                .singleElement()
                .asString()
                .contains("already exists and belongs to Windlass app " + app);

        // ... nor remove it, and its undeploy says so
        UUID undeploy = Api.undeploy(RegistryStandIn.FLAKY, NS, app);

        Api.awaitPhase(undeploy, "FAILED");
        assertThat(TestDb.column("select message from deployments where id = ?", undeploy))
                .singleElement()
                .asString()
                .startsWith("removed 0 object(s) of " + app + ", but ")
                .contains("Deployment " + NS + "/" + app + " (belongs to Windlass app " + app);
        assertThat(cluster().apps().deployments().inNamespace(NS).withName(app).get())
                .isNotNull();

        UUID truthful = Api.undeploy(RegistryStandIn.LOCAL, NS, app);
        Api.awaitPhase(truthful, "DELETED");
        assertThat(TestDb.column("select message from deployments where id = ?", truthful))
                .singleElement()
                .asString()
                .startsWith("removed ")
                .contains("Deployment " + app)
                .endsWith("; none is left on the cluster");
    }

    @Test
    void keepsNumberedRevisionsRollsBackAndUndeploys() {
        String app = uniqueApp("shop");
        UUID first = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        rollOut(first, app);
        UUID second = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app, UPDATED_IMAGE));
        rollOut(second, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(UPDATED_IMAGE);

        UUID rollback = Api.rollback(RegistryStandIn.LOCAL, NS, app, 1);
        rollOut(rollback, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(DEFAULT_IMAGE);
        Api.as(DevUser.VIEWER)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .body("revision", equalTo(List.of(3, 2, 1)))
                .body("outcome", equalTo(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")))
                .body("[0].action", equalTo("ROLLBACK"))
                .body("[0].rolledBackFrom", equalTo(1))
                .body("[0].spec.image", equalTo(DEFAULT_IMAGE))
                .body("[1].spec.image", equalTo(UPDATED_IMAGE))
                .body("[2].requestedBy.username", equalTo("deployer"));
        assertThat(LiveApp.secretValues(NS, app, SECRET_NAME)).contains(SECRET_VALUE);

        UUID undeploy = Api.undeploy(RegistryStandIn.LOCAL, NS, app);
        Api.awaitPhase(undeploy, "DELETED");
        assertThat(TestDb.phases(undeploy)).containsExactly("ACCEPTED", "DELETED");
        await().untilAsserted(() -> {
            assertThat(cluster()
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName(app)
                            .get())
                    .isNull();
            assertThat(cluster().services().inNamespace(NS).withName(app).get()).isNull();
            assertThat(cluster()
                            .secrets()
                            .inNamespace(NS)
                            .withLabel("app.kubernetes.io/name", app)
                            .list()
                            .getItems())
                    .isEmpty();
        });
        Api.get(undeploy).then().body("phases[1].objects.kind", org.hamcrest.Matchers.hasItem("Deployment"));
    }

    @Test
    void anIdentityWithoutRightsInTheNamespaceFailsWithTheServersReason() {
        String app = uniqueApp("denied");
        UUID id = Api.deploy(RegistryStandIn.RESTRICTED, "team-b", spec(app));
        Api.awaitPhase(id, "FAILED");
        Api.get(id).then().body("message", containsString("forbidden"));
        assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "FAILED");
        // the failed attempt is a revision of the app all the same
        Api.as(DevUser.ADMIN)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.RESTRICTED, "team-b", app)
                .then()
                .statusCode(200)
                .body("revision", equalTo(List.of(1)))
                .body("[0].outcome", equalTo("FAILED"))
                .body("[0].message", containsString("forbidden"));
        await().untilAsserted(() -> assertThat(TestKafka.statuses(id))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactly(DeploymentPhase.ACCEPTED, DeploymentPhase.APPLYING, DeploymentPhase.FAILED));
    }

    @Test
    void deploysToAK3sShapedClusterThroughItsEcClientCertificate() {
        try (KubeApiServer k3s = KubeApiServer.create(ClusterShape.K3S)) {
            k3s.start();
            // the key as k3s writes it: SEC1 EC P-256, which the client read as RSA before the shared cluster access
            assertThat(k3s.adminClientKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
            try (NodeSimulator nodes = NodeSimulator.start(k3s.adminClient())) {
                RegistryStandIn.current()
                        .put(RegistryStandIn.admin(
                                k3s, "k3s-edge", "K3S", null, "demo", List.of("windlass-deployers")));
                String app = uniqueApp("k3s");
                UUID id = Api.deploy("k3s-edge", "demo", spec(app));
                Api.awaitPhase(id, "SUCCEEDED");
                assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
                assertThat(k3s.adminClient()
                                .apps()
                                .deployments()
                                .inNamespace("demo")
                                .withName(app)
                                .get())
                        .isNotNull();
            } finally {
                RegistryStandIn.current().remove("k3s-edge");
            }
        }
    }

    @Test
    void aClientKeyThatCannotBeReadFailsAtOnceSayingSo() {
        ClusterConnection admin =
                RegistryStandIn.admin(DevStack.kube(), "broken-key", "K8S", null, NS, List.of("windlass-deployers"));
        RegistryStandIn.current()
                .put(new ClusterConnection(
                        admin.id(),
                        admin.name(),
                        admin.type(),
                        admin.environment(),
                        admin.apiServerUrl(),
                        admin.authType(),
                        null,
                        admin.clientCertificatePem(),
                        "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END EC PRIVATE KEY-----\n",
                        admin.caCertificatePem(),
                        false,
                        null,
                        NS,
                        admin.allowedGroups(),
                        1));
        try {
            long start = System.nanoTime();
            UUID id = Api.deploy("broken-key", NS, spec(uniqueApp("broken-key")));
            Api.awaitPhase(id, "FAILED");

            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .as("a key that cannot be read is not retried")
                    .isLessThan(java.time.Duration.ofSeconds(20));
            Api.get(id)
                    .then()
                    .body(
                            "message",
                            equalTo("orchestrator broken-key: the client key cannot be read: not a readable PEM private"
                                    + " key"));
            assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "FAILED");
        } finally {
            RegistryStandIn.current().remove("broken-key");
        }
    }

    @Test
    void failsWhenTheRolloutMissesItsDeadline() {
        String app = uniqueApp("slow");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        Api.awaitPhase(id, "PROGRESSING");
        // nothing reports the pods available: the 25 s test deadline passes
        Api.awaitPhase(id, "FAILED");
        Api.get(id).then().body("message", containsString("ProgressDeadlineExceeded"));
    }

    @Test
    void streamsTheDeploymentsPhasesUntilTheLastOne() throws Exception {
        String app = uniqueApp("stream");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/deployments/" + id + "/events"))
                .header("Authorization", "Bearer " + Api.token(DevUser.VIEWER))
                .header("Accept", "text/event-stream")
                .build();
        CompletableFuture<HttpResponse<String>> stream =
                HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        Api.awaitPhase(id, "PROGRESSING");
        Kubelet.rollOut(NS, app);
        HttpResponse<String> response = stream.get(90, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<String> phases = response.body()
                .lines()
                .filter(line -> line.startsWith("data:"))
                .map(line -> line.replaceAll(".*\"phase\":\"([A-Z]+)\".*", "$1"))
                .toList();
        assertThat(phases).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
    }

    private static void rollOut(UUID id, String app) {
        Api.awaitRolledOut(id, NS, app);
    }

    private static KubernetesClient cluster() {
        return DevStack.kube().adminClient();
    }
}
