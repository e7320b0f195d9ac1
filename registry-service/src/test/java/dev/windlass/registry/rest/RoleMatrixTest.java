package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may do what: admin / deployer / viewer / service / no token × read / write / internal. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class RoleMatrixTest {

    enum Caller {
        ADMIN(Tokens::admin),
        DEPLOYER(Tokens::deployer),
        VIEWER(Tokens::viewer),
        SERVICE(Tokens::service),
        NO_GROUPS(() -> DevStack.oidc().accessToken("stranger", List.of())),
        EXPIRED(() -> ForgedTokens.of(DevStack.oidc(), DevUser.ADMIN).expired()),
        NONE(() -> null);

        final Supplier<String> token;

        Caller(Supplier<String> token) {
            this.token = token;
        }

        RequestSpecification request() {
            String t = token.get();
            return t == null ? given() : given().auth().oauth2(t);
        }
    }

    enum Operation {
        LIST,
        GET,
        AUDIT,
        CREATE,
        UPDATE,
        DELETE,
        TEST_CONNECTION,
        RE_ENCRYPT,
        INTERNAL,
        /** Only refusals here: an allowed change stream stays open (OrchestratorFeedTest reads them). */
        CHANGES;

        Response call(Caller caller) {
            Map<String, Object> body = tokenBody(uniqueName("roles"));
            String id = this == CREATE || this == LIST || this == RE_ENCRYPT || this == CHANGES ? null : createId(body);
            RequestSpecification request = caller.request();
            return switch (this) {
                case LIST -> request.get("/api/orchestrators");
                case GET -> request.get("/api/orchestrators/" + id);
                case AUDIT -> request.get("/api/orchestrators/" + id + "/audit");
                case CREATE -> request.contentType(ContentType.JSON).body(body).post("/api/orchestrators");
                case UPDATE ->
                    request.contentType(ContentType.JSON)
                            .header("If-Match", "\"0\"")
                            .body(body)
                            .put("/api/orchestrators/" + id);
                case DELETE -> request.delete("/api/orchestrators/" + id);
                case TEST_CONNECTION -> request.post("/api/orchestrators/" + id + "/test-connection");
                case RE_ENCRYPT -> request.post("/api/admin/credentials/re-encrypt");
                case INTERNAL -> request.get("/internal/orchestrators/" + body.get("name") + "/connection");
                case CHANGES -> request.accept("text/event-stream").get("/api/orchestrators/changes");
            };
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ADMIN,     LIST,            200",
        "ADMIN,     GET,             200",
        "ADMIN,     AUDIT,           200",
        "ADMIN,     CREATE,          201",
        "ADMIN,     UPDATE,          200",
        "ADMIN,     DELETE,          204",
        "ADMIN,     TEST_CONNECTION, 200",
        "ADMIN,     RE_ENCRYPT,      200",
        "ADMIN,     INTERNAL,        403",
        "DEPLOYER,  LIST,            200",
        "DEPLOYER,  GET,             200",
        "DEPLOYER,  AUDIT,           200",
        "DEPLOYER,  CREATE,          403",
        "DEPLOYER,  UPDATE,          403",
        "DEPLOYER,  DELETE,          403",
        "DEPLOYER,  TEST_CONNECTION, 403",
        "DEPLOYER,  RE_ENCRYPT,      403",
        "DEPLOYER,  INTERNAL,        403",
        "VIEWER,    LIST,            200",
        "VIEWER,    GET,             200",
        "VIEWER,    AUDIT,           200",
        "VIEWER,    CREATE,          403",
        "VIEWER,    UPDATE,          403",
        "VIEWER,    DELETE,          403",
        "VIEWER,    TEST_CONNECTION, 403",
        "VIEWER,    RE_ENCRYPT,      403",
        "VIEWER,    INTERNAL,        403",
        "SERVICE,   LIST,            403",
        "SERVICE,   GET,             403",
        "SERVICE,   AUDIT,           403",
        "SERVICE,   CREATE,          403",
        "SERVICE,   UPDATE,          403",
        "SERVICE,   DELETE,          403",
        "SERVICE,   TEST_CONNECTION, 403",
        "SERVICE,   RE_ENCRYPT,      403",
        "SERVICE,   INTERNAL,        200",
        "SERVICE,   CHANGES,         403",
        "NO_GROUPS, LIST,            403",
        "NO_GROUPS, GET,             403",
        "NO_GROUPS, CREATE,          403",
        "NO_GROUPS, INTERNAL,        403",
        "NO_GROUPS, CHANGES,         403",
        "EXPIRED,   LIST,            401",
        "EXPIRED,   INTERNAL,        401",
        "EXPIRED,   CHANGES,         401",
        "NONE,      LIST,            401",
        "NONE,      GET,             401",
        "NONE,      CREATE,          401",
        "NONE,      DELETE,          401",
        "NONE,      RE_ENCRYPT,      401",
        "NONE,      INTERNAL,        401",
        "NONE,      CHANGES,         401"
    })
    void answers(Caller caller, Operation operation, int status) {
        Response response = operation.call(caller);

        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 401 || status == 403) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
            assertThat(response.jsonPath().getString("type"))
                    .isEqualTo(status == 401 ? "urn:windlass:problem:unauthorized" : "urn:windlass:problem:forbidden");
            assertThat(response.jsonPath().getString("instance")).startsWith("/");
        }
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        if (status >= 200 && status < 300 && operation != Operation.INTERNAL) {
            assertThat(response.asString()).doesNotContain("default-token-value");
        }
    }
}
