package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.LiveApp;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.OciRegistry;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.ImageUpdatesSpec;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keel-style image updates on real components: images pushed to the dev stack's Distribution registry, whose
 * notifications reach the deployer's webhook; the apps whose policy takes a tag are updated on the API server and
 * the others are not. The other webhook formats come as their registries post them.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ImagePolicyTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String SECRET = "webhook-secret-for-the-tests-0123";

    @Test
    void pushesToARealRegistryUpdateEachAppWhosePolicyTakesTheTagAndNoOther() {
        String hook = "http://127.0.0.1:" + RestAssured.port + "/hooks/images/distribution";
        try (OciRegistry registry =
                OciRegistry.create().notifying(hook, "Bearer " + SECRET).start()) {
            String web = registry.host() + "/shop/web";
            String api = registry.host() + "/shop/api";
            registry.push("shop/web", "1.2.3", "1.2.3");
            String patch = deploy("pat", web + ":1.2.3", "patch");
            String minor = deploy("min", web + ":1.2.3", "minor");
            String none = deploy("non", web + ":1.2.3", "none");
            String all = deploy("all", web + ":1.2.3", "all");
            String major = deploy("maj", web + ":1.2.3", "major");
            String glob = deploy("glb", web + ":1.2.3", "glob:main-*");
            String force = deploy("frc", api + ":latest", "force");

            // a pre-release, a tag that is no version, a major step: none of the three policies takes any
            registry.push("shop/web", "1.2.4-rc.1", "rc");
            registry.push("shop/web", "main-3f2a9c1", "main");
            registry.push("shop/web", "2.0.0", "two");
            String minorStep = registry.push("shop/web", "1.3.0", "minor step");
            awaitUpdated(minor, web + ":1.3.0");
            registry.push("shop/web", "1.2.4", "patch step");
            awaitUpdated(patch, web + ":1.2.4");
            // the registry delivers one endpoint's events in order: every earlier push has been read by now
            assertThat(Api.imageUpdates(minor)).containsExactly(web + ":1.3.0");
            assertThat(Api.imageUpdates(patch)).containsExactly(web + ":1.2.4");
            assertThat(Api.imageUpdates(none)).isEmpty();
            // all: the pre-release, then the major step; nothing lower after that
            assertThat(Api.imageUpdates(all)).containsExactly(web + ":2.0.0", web + ":1.2.4-rc.1");
            assertThat(Api.imageUpdates(major)).containsExactly(web + ":2.0.0");
            assertThat(Api.imageUpdates(glob)).containsExactly(web + ":main-3f2a9c1");
            for (String app : List.of(all, major, glob)) {
                Kubelet.rollOut(NS, app);
            }

            // force: the running tag pushed again with other content; the same content again changes nothing
            String first = registry.push("shop/api", "latest", "build 1");
            awaitUpdated(force, api + ":latest@" + first);
            registry.push("shop/api", "latest", "build 1");
            String second = registry.push("shop/api", "latest", "build 2");
            awaitUpdated(force, api + ":latest@" + second);
            assertThat(Api.imageUpdates(force)).containsExactly(api + ":latest@" + second, api + ":latest@" + first);

            // who asked, and why
            JsonPath update = newest(minor);
            assertThat(update.getString("requestedBy.subject")).isEqualTo(ImageUpdates.ACTOR.subject());
            assertThat(update.getString("reason"))
                    .isEqualTo("image update policy minor took " + web + ":1.3.0@"
                            + update.getString("reason")
                                    .substring(update.getString("reason").indexOf("@") + 1));
        }
    }

    @Test
    void harborGithubDockerHubAndCloudEventPayloadsUpdateTheirApps() {
        String harbor = deploy("hbr", "harbor.example.com/library/web:v2.0.0", "minor");
        String github = deploy("ghb", "ghcr.io/example-org/web:3.0.0", "patch");
        String hub = deploy("hub", "example/web:1.0.6", "patch");
        String cloud = deploy("cev", "registry.example.com/shop/api:0.8.0", "minor");

        post("harbor", Map.of("Authorization", "Bearer " + SECRET), ImageWebhooksTest.HARBOR, "")
                .then()
                .statusCode(202)
                .body("pushes", equalTo(1))
                .body("updating", equalTo(1));
        String signature = "sha256=" + ImageWebhooksTest.hmac(SECRET, ImageWebhooksTest.GITHUB.getBytes());
        post(
                        "github",
                        Map.of("X-Hub-Signature-256", signature, "X-GitHub-Event", "package"),
                        ImageWebhooksTest.GITHUB,
                        "")
                .then()
                .statusCode(202);
        post("dockerhub", Map.of(), ImageWebhooksTest.DOCKER_HUB, "?token=" + SECRET)
                .then()
                .statusCode(202);
        post("cloudevents", Map.of("Authorization", "Bearer " + SECRET), ImageWebhooksTest.CLOUDEVENT, "")
                .then()
                .statusCode(202);

        awaitUpdated(harbor, "harbor.example.com/library/web:v2.1.0");
        awaitUpdated(github, "ghcr.io/example-org/web:3.0.1");
        awaitUpdated(hub, "example/web:1.0.7");
        awaitUpdated(cloud, "registry.example.com/shop/api:0.9.0");

        // the same push told again (a registry retries): no second update
        post("harbor", Map.of("Authorization", "Bearer " + SECRET), ImageWebhooksTest.HARBOR, "")
                .then()
                .statusCode(202)
                .body("updating", equalTo(0));
        assertThat(Api.imageUpdates(harbor)).hasSize(1);
    }

    @Test
    void aWebhookWithoutTheSecretABadSignatureOrABadBodyIsAProblemAndUpdatesNothing() {
        String app = deploy("ref", "harbor.example.com/library/web:v2.0.5", "all");

        post("harbor", Map.of("Authorization", "Bearer guess"), ImageWebhooksTest.HARBOR, "")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("webhook-refused"));
        post("github", Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)), ImageWebhooksTest.GITHUB, "")
                .then()
                .statusCode(401);
        post("dockerhub", Map.of(), ImageWebhooksTest.DOCKER_HUB, "").then().statusCode(401);
        post("harbor", Map.of("Authorization", "Bearer " + SECRET), "{\"type\": \"PUSH_ARTIFACT\"}", "")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].path", equalTo("event_data.repository.repo_full_name"));
        post("quay", Map.of("Authorization", "Bearer " + SECRET), "{}", "")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        assertThat(Api.imageUpdates(app)).isEmpty();
        assertThat(LiveApp.image(NS, app)).isEqualTo("harbor.example.com/library/web:v2.0.5");
    }

    private static String deploy(String prefix, String image, String policy) {
        String app = uniqueApp(prefix);
        UUID id =
                Api.deploy(RegistryStandIn.LOCAL, NS, spec(app, image).withImageUpdates(new ImageUpdatesSpec(policy)));
        Api.awaitRolledOut(id, NS, app);
        return app;
    }

    private static io.restassured.response.Response post(
            String format, Map<String, String> headers, String body, String query) {
        return RestAssured.given()
                .headers(headers)
                .contentType("application/json")
                .body(body)
                .post("/hooks/images/" + format + query);
    }

    /** Waits for the app's image update to {@code image}, rolls it out and sees the image on the API server. */
    private static void awaitUpdated(String app, String image) {
        UUID id = await().atMost(Api.PHASE_TIMEOUT)
                .until(
                        () -> deployments(app).stream()
                                .filter(d -> image.equals(d.get("image")))
                                .map(d -> UUID.fromString((String) d.get("id")))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        Api.awaitRolledOut(id, NS, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(image);
    }

    private static JsonPath newest(String app) {
        return new JsonPath(
                Api.get(UUID.fromString((String) deployments(app).get(0).get("id")))
                        .asString());
    }

    private static List<Map<String, Object>> deployments(String app) {
        return Api.as(DevUser.VIEWER)
                .queryParam("app", app)
                .queryParam("namespace", NS)
                .get("/api/deployments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }
}
