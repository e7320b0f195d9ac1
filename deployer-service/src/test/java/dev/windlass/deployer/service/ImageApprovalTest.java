package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.LiveApp;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.ApprovalsSpec;
import dev.windlass.events.spec.ImageUpdatesSpec;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Image updates that wait for approvals: deployed only once enough different members of the named groups approved,
 * never after the deadline; each approval kept with who gave it and when.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ImageApprovalTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String SECRET = "webhook-secret-for-the-tests-0123";
    private static final String GROUP = "release-managers";

    @Test
    void anUpdateIsDeployedOnlyOnceDifferentMembersOfTheNamedGroupsApprovedIt() {
        String repository = "shop/" + uniqueApp("approved");
        String app = deploy(repository, "1.0.0", new ApprovalsSpec(2, List.of(GROUP), "PT10M"));
        String alice = DevStack.oidc().accessToken("alice", List.of("windlass-viewers", GROUP));
        String bob = DevStack.oidc().accessToken("bob", List.of("windlass-viewers", GROUP));
        String mallory = DevStack.oidc().accessToken("mallory", List.of("windlass-deployers", "windlass-viewers"));

        push(repository, "1.0.1")
                .then()
                .statusCode(202)
                .body("updating", equalTo(0))
                .body("awaitingApproval", equalTo(1));
        // the same push told again: still one update waiting
        push(repository, "1.0.1").then().statusCode(202).body("awaitingApproval", equalTo(1));
        JsonPath updates = updates(app);
        assertThat(updates.getList("id")).hasSize(1);
        assertThat(updates.getString("[0].status")).isEqualTo("PENDING");
        assertThat(updates.getString("[0].image")).isEqualTo("registry.example.com/" + repository + ":1.0.1");
        assertThat(updates.getList("[0].approverGroups")).containsExactly(GROUP);
        String id = updates.getString("[0].id");

        approve(mallory, app, id).then().statusCode(403).contentType("application/problem+json");
        approve(alice, app, id).then().statusCode(200).body("status", equalTo("PENDING"));
        // one person counts once
        approve(alice, app, id)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING"))
                .body("approvals.size()", equalTo(1));
        assertThat(Api.imageUpdates(app)).isEmpty();

        String deployment = approve(bob, app, id)
                .then()
                .statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("approvals.approvedBy.username", equalTo(List.of("alice", "bob")))
                .extract()
                .path("deploymentId");
        Api.awaitRolledOut(UUID.fromString(deployment), NS, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo("registry.example.com/" + repository + ":1.0.1");
        Api.get(UUID.fromString(deployment))
                .then()
                .body("requestedBy.subject", equalTo(ImageUpdates.ACTOR.subject()))
                .body("reason", org.hamcrest.Matchers.endsWith("; approved by alice, bob"));
        approve(bob, app, id)
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("image-update-closed"));
        assertThat(Api.imageUpdates(app)).hasSize(1);
    }

    @Test
    void anUpdateNotApprovedBeforeItsDeadlineExpiresAndNothingIsDeployed() {
        String repository = "shop/" + uniqueApp("expiring");
        String app = deploy(repository, "2.0.0", new ApprovalsSpec(1, List.of(GROUP), "PT2S"));
        push(repository, "2.0.1").then().statusCode(202).body("awaitingApproval", equalTo(1));
        String id = updates(app).getString("[0].id");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "EXPIRED".equals(updates(app).getString("[0].status")));
        approve(DevStack.oidc().accessToken("carol", List.of("windlass-viewers", GROUP)), app, id)
                .then()
                .statusCode(409);
        assertThat(Api.imageUpdates(app)).isEmpty();
        assertThat(LiveApp.image(NS, app)).isEqualTo("registry.example.com/" + repository + ":2.0.0");
    }

    @Test
    void aNewerUpdateOrANewerRevisionSupersedesAWaitingOneSoThatApprovingItNeverTakesTheAppBack() {
        String repository = "shop/" + uniqueApp("superseded");
        ApprovalsSpec oneApproval = new ApprovalsSpec(1, List.of(GROUP), "PT10M");
        String app = deploy(repository, "3.0.0", oneApproval);
        String dave = DevStack.oidc().accessToken("dave", List.of("windlass-viewers", GROUP));

        push(repository, "3.0.1").then().statusCode(202).body("awaitingApproval", equalTo(1));
        String older = updates(app).getString("[0].id");
        push(repository, "3.0.2").then().statusCode(202).body("awaitingApproval", equalTo(1));
        JsonPath both = updates(app);
        assertThat(both.getList("status")).containsExactly("PENDING", "SUPERSEDED");
        approve(dave, app, older).then().statusCode(409);

        // someone deploys the app again: the update found for the revision before is superseded when approved
        String newer = both.getString("[0].id");
        UUID redeploy = Api.deploy(
                RegistryStandIn.LOCAL,
                NS,
                spec(app, "registry.example.com/" + repository + ":3.0.0")
                        .withImageUpdates(new ImageUpdatesSpec("patch", oneApproval)));
        Api.awaitRolledOut(redeploy, NS, app);
        approve(dave, app, newer)
                .then()
                .statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("superseded"));
        assertThat(updates(app).getList("status")).containsExactly("SUPERSEDED", "SUPERSEDED");
        assertThat(Api.imageUpdates(app)).isEmpty();
        assertThat(LiveApp.image(NS, app)).isEqualTo("registry.example.com/" + repository + ":3.0.0");
    }

    @Test
    void anApprovedUpdateWhoseRequestFailedIsRequestedByTheSweepOnce() {
        String repository = "shop/" + uniqueApp("unrequested");
        String app = deploy(repository, "4.0.0", new ApprovalsSpec(1, List.of(GROUP), "PT10M"));
        push(repository, "4.0.1").then().statusCode(202).body("awaitingApproval", equalTo(1));
        String id = updates(app).getString("[0].id");
        // what an approval leaves when the database or the queue goes away between storing it and the request
        TestDb.update(
                "insert into image_update_approvals (update_id, subject, username, approved_at)"
                        + " values (?::uuid, 'erin-subject', 'erin', now())",
                id);
        assertThat(TestDb.update(
                        "update pending_image_updates set status = 'APPROVED', decided_at = now() - interval '1 minute'"
                                + " where id = ?::uuid",
                        id))
                .isEqualTo(1);

        String image = "registry.example.com/" + repository + ":4.0.1";
        String deployment = await().atMost(Duration.ofSeconds(30))
                .until(() -> updates(app).getString("[0].deploymentId"), java.util.Objects::nonNull);
        Api.awaitRolledOut(UUID.fromString(deployment), NS, app);
        assertThat(LiveApp.image(NS, app)).isEqualTo(image);
        assertThat(new JsonPath(Api.get(UUID.fromString(deployment)).asString()).getString("reason"))
                .endsWith("; approved by erin");
        // later sweeps find it requested: one deployment
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(Api.imageUpdates(app)).containsExactly(image);
    }

    private static String deploy(String repository, String tag, ApprovalsSpec approvals) {
        String app = uniqueApp("apr");
        UUID id = Api.deploy(
                RegistryStandIn.LOCAL,
                NS,
                spec(app, "registry.example.com/" + repository + ":" + tag)
                        .withImageUpdates(new ImageUpdatesSpec("patch", approvals)));
        Api.awaitRolledOut(id, NS, app);
        return app;
    }

    private static io.restassured.response.Response push(String repository, String tag) {
        return RestAssured.given()
                .header("Authorization", "Bearer " + SECRET)
                .contentType("application/cloudevents+json")
                .body(Map.of(
                        "specversion",
                        "1.0",
                        "type",
                        ImageWebhooks.CLOUDEVENT_TYPE,
                        "source",
                        "/tests",
                        "id",
                        UUID.randomUUID().toString(),
                        "data",
                        Map.of("registry", "registry.example.com", "repository", repository, "tag", tag)))
                .post("/hooks/images/cloudevents");
    }

    private static JsonPath updates(String app) {
        return Api.as(DevUser.ADMIN)
                .get("/api/apps/{o}/{n}/{a}/image-updates", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static io.restassured.response.Response approve(String token, String app, String id) {
        return Api.as(token)
                .post("/api/apps/{o}/{n}/{a}/image-updates/{id}/approvals", RegistryStandIn.LOCAL, NS, app, id);
    }
}
