package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.Database;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator that still has apps is never forgotten silently: without a cascade the deletion is a 409 naming the
 * apps, {@code orphan} deletes it and lists the apps left running in the audit, {@code undeploy} has them undeployed
 * and deletes it once they are gone, or stops with the reason when one cannot be. The deployer here is a stand-in;
 * the suite's tests do the same against the real one.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OrchestratorDeletionTest {

    @Test
    void withAppsAndNoCascadeItIsA409NamingThemAndNothingIsDeleted() {
        String id = withApps("shop/web", "shop/api");
        admin().delete("/api/orchestrators/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:orchestrator-has-apps"))
                .body("detail", containsString("still has 2 app(s): shop/api, shop/web"))
                .body("detail", containsString("cascade=undeploy"));
        admin().delete("/api/orchestrators/" + id + "?cascade=everything")
                .then()
                .statusCode(400)
                .body("violations[0].field", is("cascade"));
        DeployerStandIn.down(true);
        try {
            admin().delete("/api/orchestrators/" + id + "?cascade=orphan")
                    .then()
                    .statusCode(503)
                    .body("type", is("urn:windlass:problem:deployer-unavailable"));
        } finally {
            DeployerStandIn.down(false);
        }
        admin().get("/api/orchestrators/" + id).then().statusCode(200);
    }

    @Test
    void orphanDeletesItAndTheAuditListsTheAppsLeftRunning() {
        String id = withApps("shop/web", "shop/api");
        admin().delete("/api/orchestrators/" + id + "?cascade=orphan").then().statusCode(204);
        admin().get("/api/orchestrators/" + id).then().statusCode(404);
        assertThat(Database.auditDetails(id, "DELETED"))
                .containsExactly("left running and forgotten: shop/api, shop/web");
        // the trail of a deleted orchestrator stays readable
        admin().get("/api/orchestrators/" + id + "/audit")
                .then()
                .statusCode(200)
                .body("items[0].action", is("DELETED"))
                .body("items[0].details", is("left running and forgotten: shop/api, shop/web"));
        assertThat(DeployerStandIn.undeployed(UUID.fromString(id))).isFalse();
    }

    @Test
    void undeployHasTheAppsUndeployedThenDeletesIt() {
        String id = withApps("shop/web");
        admin().delete("/api/orchestrators/" + id + "?cascade=undeploy")
                .then()
                .statusCode(202)
                .body("app", contains("web"))
                .body("[0].action", is("DELETE"));
        assertThat(DeployerStandIn.undeployed(UUID.fromString(id))).isTrue();
        admin().get("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .body("deletion.requestedAt", notNullValue())
                .body("deletion.requestedBy.username", is("admin"));

        // an app deployed meanwhile is undeployed too
        DeployerStandIn.apps(
                UUID.fromString(id),
                List.of(
                        DeployerStandIn.app("shop", "web", "DELETE", "APPLYING", "undeploying"),
                        DeployerStandIn.app("shop", "late", "APPLY", "SUCCEEDED", "1/1 replicas available")));
        await().atMost(Duration.ofSeconds(30)).until(() -> DeployerStandIn.undeploys(UUID.fromString(id)) >= 2);

        // the deployer is done: the next look deletes it, on behalf of whoever asked
        DeployerStandIn.apps(UUID.fromString(id), List.of());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> admin().get("/api/orchestrators/" + id).then().statusCode(404));
        assertThat(Database.auditDetails(id, "DELETION_REQUESTED")).containsExactly("undeploying first: shop/web");
        assertThat(Database.auditDetails(id, "DELETED")).containsExactly("after its apps were undeployed");
    }

    @Test
    void anUndeployThatFailsStopsTheDeletionWithItsReasonAndKeepsTheOrchestrator() {
        String id = withApps("shop/web");
        admin().delete("/api/orchestrators/" + id + "?cascade=undeploy").then().statusCode(202);
        DeployerStandIn.apps(
                UUID.fromString(id),
                List.of(DeployerStandIn.app("shop", "web", "DELETE", "FAILED", "the API server answered 403")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> admin().get("/api/orchestrators/" + id)
                        .then()
                        .statusCode(200)
                        .body("deletion.stopped", is("the undeploy of shop/web failed: the API server answered 403")));

        // asked again, it starts over
        admin().delete("/api/orchestrators/" + id + "?cascade=undeploy").then().statusCode(202);
        admin().get("/api/orchestrators/" + id).then().body("deletion.stopped", org.hamcrest.Matchers.nullValue());
    }

    /** A new orchestrator on which the deployer reports these apps ({@code namespace/app}), each SUCCEEDED. */
    private static String withApps(String... apps) {
        String id = createId(tokenBody(uniqueName("leaving")));
        DeployerStandIn.apps(
                UUID.fromString(id),
                java.util.Arrays.stream(apps)
                        .sorted()
                        .map(app -> DeployerStandIn.app(
                                app.split("/")[0], app.split("/")[1], "APPLY", "SUCCEEDED", "2/2 replicas available"))
                        .toList());
        return id;
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(Tokens.admin());
    }
}
