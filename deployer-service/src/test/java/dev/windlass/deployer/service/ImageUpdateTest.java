package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.DEFAULT_IMAGE;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_NAME;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_VALUE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.LiveApp;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.Requests;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.validation.Violation;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Image-only updates (UPDATE_IMAGE) over HTTP and Kafka onto the dev-stack API server: the app's newest revision
 * again with another image and nothing else changed — its secret values included, which the caller never sees.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ImageUpdateTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String NEW_IMAGE = "ghcr.io/windlass/demo:2.0.0@sha256:" + "b".repeat(64);

    @Test
    void anImageUpdateChangesOnlyTheImageOfTheNewestRevision() {
        String app = uniqueApp("img");
        UUID first = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(first, NS, app);

        String id = Api.as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("image", NEW_IMAGE))
                .post("/api/apps/{o}/{n}/{a}/image", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(202)
                .body("action", equalTo("UPDATE_IMAGE"))
                .body("image", equalTo(NEW_IMAGE))
                .extract()
                .path("id");
        UUID update = UUID.fromString(id);
        Api.awaitRolledOut(update, NS, app);

        assertThat(LiveApp.image(NS, app)).isEqualTo(NEW_IMAGE);
        assertThat(LiveApp.secretValues(NS, app, SECRET_NAME)).containsExactly(SECRET_VALUE);
        io.restassured.path.json.JsonPath revisions = Api.as(DevUser.VIEWER)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(revisions.getList("revision", Integer.class)).containsExactly(2, 1);
        assertThat(revisions.getString("[0].action")).isEqualTo("UPDATE_IMAGE");
        // everything but the image as revision 1 had it; secret values stay masked in every answer
        Map<String, Object> expected = new java.util.HashMap<>(revisions.getMap("[1].spec"));
        expected.put("image", NEW_IMAGE);
        assertThat(revisions.getMap("[0].spec")).isEqualTo(expected);
        assertThat(revisions.getString("[1].spec.image")).isEqualTo(DEFAULT_IMAGE);
        assertThat(revisions.getString("[0].spec.secretEnv." + SECRET_NAME)).isEqualTo("****");
        Api.get(update)
                .then()
                .body("phases[0].message", equalTo("revision 1 with image " + NEW_IMAGE + " accepted as revision 2"));
    }

    @Test
    void anImageUpdateArrivesAsAKafkaRecordWithTheSameRulesAsTheApi() {
        String app = uniqueApp("imgk");
        Api.awaitRolledOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(app)), NS, app);

        UUID id = UUID.randomUUID();
        Requests.produce(
                EventEnvelope.create(
                        EventType.DEPLOYMENT_REQUESTED,
                        "/ci/image-watcher",
                        DeploymentRequested.updateImage(
                                id, RegistryStandIn.LOCAL, NS, app, NEW_IMAGE, new Actor("ci", null), Instant.now())),
                Requests.deployerToken());
        Api.awaitRolledOut(id, NS, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(NEW_IMAGE);
        assertThat(LiveApp.secretValues(NS, app, SECRET_NAME)).containsExactly(SECRET_VALUE);

        // a viewer's token may not update an image, whichever door it comes through
        UUID refused = UUID.randomUUID();
        var byViewer = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/image-watcher",
                DeploymentRequested.updateImage(
                        refused, RegistryStandIn.LOCAL, NS, app, DEFAULT_IMAGE, new Actor("x", null), Instant.now()));
        Requests.produce(byViewer, DevStack.oidc().accessToken(DevUser.VIEWER));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(TestKafka.deadLetterReason(byViewer.id()))
                        .extracting(Violation::rule)
                        .containsExactly(dev.windlass.events.RequestTrust.FORBIDDEN));
        assertThat(LiveApp.image(NS, app)).isEqualTo(NEW_IMAGE);
    }

    @Test
    void anAppThatWasUndeployedOrNeverDeployedHasNoImageToUpdate() {
        String app = uniqueApp("imgu");
        Api.as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("image", NEW_IMAGE))
                .post("/api/apps/{o}/{n}/{a}/image", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(404);

        Api.awaitRolledOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(app)), NS, app);
        Api.awaitPhase(Api.undeploy(RegistryStandIn.LOCAL, NS, app), "DELETED");
        Api.as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("image", NEW_IMAGE))
                .post("/api/apps/{o}/{n}/{a}/image", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("was undeployed"));

        // over Kafka the intake decides: a dead letter naming the reason, the deployment FAILED, nothing applied
        UUID id = UUID.randomUUID();
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/image-watcher",
                DeploymentRequested.updateImage(
                        id, RegistryStandIn.LOCAL, NS, app, NEW_IMAGE, new Actor("ci", null), Instant.now()));
        Requests.produce(event, Requests.deployerToken());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(TestKafka.deadLetterReason(event.id()))
                        .extracting(Violation::path, Violation::rule)
                        .containsExactly(Tuple.tuple("app", IntakeRecorder.NOT_DEPLOYED)));
        Api.awaitPhase(id, "FAILED");
        assertThat(cluster().apps().deployments().inNamespace(NS).withName(app).get())
                .isNull();
    }

    @Test
    void theImageIsCheckedAsTheSpecsImageIs() {
        String app = uniqueApp("imgv");
        Api.awaitRolledOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(app)), NS, app);
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("image", "Not An Image"))) {
            Api.as(DevUser.DEPLOYER)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/apps/{o}/{n}/{a}/image", RegistryStandIn.LOCAL, NS, app)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations.path", equalTo(List.of("image")));
        }
        Api.as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("image", NEW_IMAGE, "tag", "2.0.0"))
                .post("/api/apps/{o}/{n}/{a}/image", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(400)
                .body("violations.path", equalTo(List.of("tag")));
    }

    private static KubernetesClient cluster() {
        return DevStack.kube().adminClient();
    }
}
