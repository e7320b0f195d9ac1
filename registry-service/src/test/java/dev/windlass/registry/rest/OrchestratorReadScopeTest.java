package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.ChangeStream;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Teams sharing the registry: a non-admin sees the orchestrators where a destination lists one of its groups — in the
 * list, one by one, their audit trails and the change stream — and no other; one it does not see is a 404 like one
 * that does not exist. Admins see all.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class OrchestratorReadScopeTest {

    @TestHTTPResource("/api/orchestrators/changes")
    URI changes;

    private static String create(String name, String team) {
        Map<String, Object> body = tokenBody(name);
        body.put("allowedGroups", List.of(team));
        return createId(body);
    }

    @Test
    void aTeamSeesItsOwnOrchestratorsAndNoOneElses() {
        String prefix = uniqueName("scope");
        String ours = create(prefix + "-a", "team-a");
        String theirs = create(prefix + "-b", "team-b");

        given().auth()
                .oauth2(Tokens.viewerOf("team-a"))
                .get("/api/orchestrators?nameContains=" + prefix)
                .then()
                .statusCode(200)
                .body("items.id", contains(ours))
                .body("total", is(1));
        given().auth()
                .oauth2(Tokens.viewerOf("team-b", "team-c"))
                .get("/api/orchestrators?nameContains=" + prefix)
                .then()
                .statusCode(200)
                .body("items.id", contains(theirs));
        given().auth()
                .oauth2(Tokens.viewerOf())
                .get("/api/orchestrators?nameContains=" + prefix)
                .then()
                .statusCode(200)
                .body("items", empty())
                .body("total", is(0));
        given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators?nameContains=" + prefix)
                .then()
                .statusCode(200)
                .body("items.id", containsInAnyOrder(ours, theirs));

        // one by one and its audit trail: another team's is not there at all
        for (String path : List.of("/api/orchestrators/" + theirs, "/api/orchestrators/" + theirs + "/audit")) {
            given().auth()
                    .oauth2(Tokens.viewerOf("team-a"))
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", is("urn:windlass:problem:not-found"));
        }
        given().auth()
                .oauth2(Tokens.viewerOf("team-a"))
                .get("/api/orchestrators/" + ours)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.viewerOf("team-a"))
                .get("/api/orchestrators/" + ours + "/audit")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators/" + theirs)
                .then()
                .statusCode(200);

        // a deleted orchestrator's trail stays for admins; whose it was is gone, so no one else reads it
        given().auth()
                .oauth2(Tokens.admin())
                .delete("/api/orchestrators/" + ours)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(Tokens.viewerOf("team-a"))
                .get("/api/orchestrators/" + ours + "/audit")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators/" + ours + "/audit")
                .then()
                .statusCode(200)
                .body("items[0].action", is("DELETED"));
    }

    @Test
    void aTeamsChangeStreamCarriesItsOwnOrchestratorsAndTheOneTakenAwayFromIt() throws Exception {
        String prefix = uniqueName("scope-stream");
        Map<String, Object> oursBody = tokenBody(prefix + "-a");
        oursBody.put("allowedGroups", List.of("team-a"));
        String ours = createId(oursBody);
        String theirs = create(prefix + "-b", "team-b");

        try (ChangeStream stream = ChangeStream.open(changes, Tokens.viewerOf("team-a"))) {
            assertThat(stream.next().get("change").asText()).isEqualTo("RESYNC");
            describe(theirs, Orchestrators.UPDATED_DESCRIPTION, tokenBody(prefix + "-b"), "team-b", 0);
            describe(ours, Orchestrators.UPDATED_DESCRIPTION, oursBody, "team-a", 0);
            var first = stream.nextAbout(ours, theirs);
            assertThat(first.get("orchestratorId").asText())
                    .as("another team's change is not sent")
                    .isEqualTo(ours);
            assertThat(first.get("change").asText()).isEqualTo("UPDATED");

            // given to team B: team A hears that it changed, and then no longer sees it
            describe(ours, "now team B's", oursBody, "team-b", 1);
            assertThat(stream.nextAbout(ours, theirs).get("orchestratorId").asText())
                    .isEqualTo(ours);
            given().auth()
                    .oauth2(Tokens.viewerOf("team-a"))
                    .get("/api/orchestrators/" + ours)
                    .then()
                    .statusCode(404);
        }
    }

    private static void describe(String id, String description, Map<String, Object> body, String team, int version) {
        body.put("description", description);
        body.put("allowedGroups", List.of(team));
        Orchestrators.put(id, version, body, 200);
    }
}
