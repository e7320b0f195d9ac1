package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.create;
import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict field validation: unknown or misspelt fields are refused, each named, never silently dropped. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class StrictInputTest {

    private static final String PASSWORD = "hunter2-never-echoed";

    private static RequestSpecification asAdmin() {
        return given().auth().oauth2(Tokens.admin());
    }

    @Test
    void aCreateNamesEveryUnknownFieldWithTheFieldMeantAndCreatesNothing() {
        String name = uniqueName("strict");
        // known fields first in any order, then the unknown ones in this order
        Map<String, Object> body = new LinkedHashMap<>(tokenBody(name));
        body.put("skipTLSVerify", true);
        body.put("password", PASSWORD);
        body.put("allowedGroup", List.of("team-b"));

        String problem = asAdmin()
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/orchestrators")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:validation"))
                .body("status", is(400))
                .body("instance", is("/api/orchestrators"))
                .body("violations.field", contains("skipTLSVerify", "password", "allowedGroup"))
                .body("violations.rule", everyItem(is("unknown-field")))
                .body(
                        "violations.message",
                        contains(
                                "skipTLSVerify: unknown field; did you mean skipTlsVerify?",
                                "password: unknown field",
                                "allowedGroup: unknown field; did you mean allowedGroups?"))
                .body("detail", is("3 unknown fields: skipTLSVerify, password, allowedGroup"))
                .extract()
                .asString();
        assertThat(problem).doesNotContain(PASSWORD);

        asAdmin()
                .get("/api/orchestrators?nameContains=" + name)
                .then()
                .statusCode(200)
                .body("total", is(0));
    }

    @Test
    void anUpdateWithAMisspeltFieldChangesNothing() {
        String id = createId(tokenBody(uniqueName("strict-put")));
        Map<String, Object> changed =
                tokenBody(asAdmin().get("/api/orchestrators/" + id).path("name"));
        changed.remove("description");
        changed.put("descripton", Orchestrators.UPDATED_DESCRIPTION);

        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "*")
                .body(changed)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", is("descripton: unknown field; did you mean description?"))
                .body("violations.field", contains("descripton"))
                .body("violations.rule", contains("unknown-field"));

        asAdmin().get("/api/orchestrators/" + id).then().statusCode(200).body("version", is(0));
    }

    @Test
    void aBodyWithOnlyKnownFieldsIsStillAccepted() {
        String name = uniqueName("strict-ok");
        assertThat(create(tokenBody(name)).<String>path("name")).isEqualTo(name);
    }
}
