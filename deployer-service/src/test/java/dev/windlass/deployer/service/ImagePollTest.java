package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.LiveApp;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.OciRegistry;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.ImageUpdatesSpec;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Polling registries for new images, on a real Distribution registry that signs callers in with tokens as Docker Hub,
 * GHCR and Harbor do (a 401 challenge, a token from the realm, the request again with it). The registry sends no
 * webhooks here: whatever the apps take, polling found. The test profile asks for tags two at a time, so that every
 * poll follows the registry's {@code Link} headers.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ImagePollTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final Duration POLLED = Duration.ofSeconds(40);

    @Test
    void pollsATokenRegistryWithItsStoredAccountAndUpdatesEachAppAsItsPolicyChooses() {
        try (OciRegistry registry = OciRegistry.createWithTokenAuth().start()) {
            String web = registry.host() + "/shop/web";
            String api = registry.host() + "/shop/api";
            for (String tag : new String[] {"1.2.3", "1.2.4", "1.3.0", "1.3.1-rc.1", "2.0.0", "main-9", "main-10"}) {
                registry.push("shop/web", tag, "web " + tag);
            }
            String first = registry.push("shop/api", "latest", "build 1");
            // plain HTTP, no account yet: the registry's token service grants an anonymous caller nothing
            putRegistry(registry.host(), Map.of("plainHttp", true)).statusCode(201);

            String minor = deploy("pmi", web + ":1.2.3", "minor");
            String glob = deploy("pgl", web + ":main-9", "glob:main-*");
            String force = deploy("pfo", api + ":latest", "force");
            awaitPoll(minor, "answered 401");
            assertThat(Api.imageUpdates(minor)).isEmpty();

            // the account, stored: the next poll signs in and takes the highest tag each policy allows
            int tokens = registry.tokensIssued();
            putRegistry(
                            registry.host(),
                            Map.of("username", OciRegistry.USER, "password", registry.password(), "plainHttp", true))
                    .statusCode(200)
                    .body("passwordSet", equalTo(true))
                    .body("username", equalTo(OciRegistry.USER))
                    .body(not(containsString(registry.password())));
            awaitUpdated(minor, web + ":1.3.0");
            awaitUpdated(glob, web + ":main-10");
            assertThat(registry.tokensIssued()).isGreaterThan(tokens);
            JsonPathView update = newest(minor);
            assertThat(update.subject()).isEqualTo(ImageUpdates.ACTOR.subject());
            assertThat(update.reason()).isEqualTo("image update policy minor took " + web + ":1.3.0");
            awaitPoll(minor, "no tag of 7 that minor takes");
            awaitPoll(glob, "no tag of 7 that glob:main-* takes");
            assertThat(Api.imageUpdates(glob)).containsExactly(web + ":main-10");

            // force: the first poll records the running tag's digest; only another digest updates the app
            // ("recorded latest at <digest>", then "latest is still <digest>")
            awaitPoll(force, first);
            assertThat(Api.imageUpdates(force)).isEmpty();
            String second = registry.push("shop/api", "latest", "build 2");
            awaitUpdated(force, api + ":latest@" + second);
            assertThat(Api.imageUpdates(force)).containsExactly(api + ":latest@" + second);

            // a new tag is found by the next poll, without a webhook
            registry.push("shop/web", "1.3.2", "web 1.3.2");
            awaitUpdated(minor, web + ":1.3.2");
            assertThat(Api.imageUpdates(minor)).containsExactly(web + ":1.3.2", web + ":1.3.0");
        }
    }

    @Test
    void registryAccountsAreForAdminsValidatedAndWriteOnly() {
        Api.as(DevUser.DEPLOYER).get("/api/image-registries").then().statusCode(403);
        Api.as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("username", "u", "password", "p"))
                .put("/api/image-registries/registry.example.com")
                .then()
                .statusCode(403);
        Api.as(DevUser.ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("username", "u"))
                .put("/api/image-registries/under_score.example.com")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.path", org.hamcrest.Matchers.containsInAnyOrder("host", "password"));
        Api.as(DevUser.ADMIN)
                .contentType(ContentType.JSON)
                .body(Map.of("password", "p"))
                .put("/api/image-registries/registry.example.com")
                .then()
                .statusCode(400)
                .body("violations[0].path", equalTo("username"));

        String secret = "s3cret-" + UUID.randomUUID();
        putRegistry("Registry.Example.com:5000", Map.of("username", "bot", "password", secret))
                .statusCode(201)
                .body("host", equalTo("registry.example.com:5000"))
                .body("plainHttp", equalTo(false));
        String listed = Api.as(DevUser.ADMIN)
                .get("/api/image-registries")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listed)
                .contains("registry.example.com:5000")
                .contains("\"passwordSet\":true")
                .doesNotContain(secret);
        // at rest: sealed with the deployer's secret key, never the password itself
        assertThat(TestDb.column(
                                "select password_sealed from image_registries where host = ?",
                                "registry.example.com:5000")
                        .get(0))
                .startsWith("v1:")
                .doesNotContain(secret);
        Api.as(DevUser.ADMIN)
                .delete("/api/image-registries/registry.example.com:5000")
                .then()
                .statusCode(204);
        Api.as(DevUser.ADMIN)
                .delete("/api/image-registries/registry.example.com:5000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static io.restassured.response.ValidatableResponse putRegistry(String host, Map<String, Object> body) {
        return Api.as(DevUser.ADMIN)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/image-registries/" + host)
                .then();
    }

    private static String deploy(String prefix, String image, String policy) {
        String app = uniqueApp(prefix);
        UUID id = Api.deploy(
                RegistryStandIn.LOCAL,
                NS,
                spec(app, image).withImageUpdates(new ImageUpdatesSpec(policy, null, "PT10S")));
        Api.awaitRolledOut(id, NS, app);
        return app;
    }

    /** Waits until the app's last poll says {@code outcome}. */
    private static void awaitPoll(String app, String outcome) {
        await().atMost(POLLED)
                .untilAsserted(() -> assertThat(Api.as(DevUser.VIEWER)
                                .get("/api/apps/" + RegistryStandIn.LOCAL + "/" + NS + "/" + app
                                        + "/image-updates/poll")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("outcome"))
                        .contains(outcome));
    }

    /** Waits for the app's image update to {@code image}, rolls it out and sees the image on the API server. */
    private static void awaitUpdated(String app, String image) {
        UUID id = await().atMost(POLLED)
                .until(
                        () -> Api.as(DevUser.ADMIN)
                                .queryParam("app", app)
                                .get("/api/deployments")
                                .then()
                                .extract()
                                .jsonPath()
                                .getString("items.find { it.image == '" + image + "' }.id"),
                        java.util.Objects::nonNull)
                .transform(UUID::fromString);
        Api.awaitRolledOut(id, NS, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(image);
    }

    private record JsonPathView(String subject, String reason) {}

    private static JsonPathView newest(String app) {
        var list = Api.as(DevUser.ADMIN)
                .queryParam("app", app)
                .get("/api/deployments")
                .then()
                .extract()
                .jsonPath();
        var item = new io.restassured.path.json.JsonPath(
                Api.get(UUID.fromString(list.getString("items[0].id"))).asString());
        return new JsonPathView(item.getString("requestedBy.subject"), item.getString("reason"));
    }
}
