package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the registry asks before it deletes an orchestrator: which apps it still has (an app whose undeploy finished
 * has none left), and undeploying them all; only Windlass's services may ask.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class InternalOrchestratorAppsTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;

    @Test
    void listsTheAppsStillThereAndUndeploysThemAll() {
        String orchestrator = uniqueApp("leaving");
        RegistryStandIn registry = RegistryStandIn.current();
        registry.put(
                RegistryStandIn.admin(DevStack.kube(), orchestrator, "K8S", null, NS, List.of("windlass-deployers")));
        UUID id = registry.get(orchestrator).id();
        String kept = uniqueApp("kept");
        String gone = uniqueApp("gone");
        rollOut(Api.deploy(orchestrator, NS, spec(kept)), kept);
        rollOut(Api.deploy(orchestrator, NS, spec(gone)), gone);
        Api.awaitPhase(Api.undeploy(orchestrator, NS, gone), "DELETED");

        given().auth()
                .oauth2(DevStack.oidc().serviceToken())
                .get("/internal/orchestrators/{id}/apps", id)
                .then()
                .statusCode(200)
                .body("app", contains(kept))
                .body("[0].phase", is("SUCCEEDED"));
        for (DevUser user : DevUser.values()) {
            given().auth()
                    .oauth2(Api.token(user))
                    .get("/internal/orchestrators/{id}/apps", id)
                    .then()
                    .statusCode(403);
        }

        String undeploy = given().auth()
                .oauth2(DevStack.oidc().serviceToken())
                .post("/internal/orchestrators/{id}/apps/undeploy", id)
                .then()
                .statusCode(200)
                .body("app", contains(kept))
                .body("action", everyItem(is("DELETE")))
                .extract()
                .path("[0].deploymentId");
        Api.awaitPhase(UUID.fromString(undeploy), "DELETED");
        Api.get(UUID.fromString(undeploy)).then().body("requestedBy.username", is("orchestrator deletion"));
        given().auth()
                .oauth2(DevStack.oidc().serviceToken())
                .get("/internal/orchestrators/{id}/apps", id)
                .then()
                .statusCode(200)
                .body("$", empty());
    }

    private static void rollOut(UUID id, String app) {
        Api.awaitRolledOut(id, NS, app);
    }
}
