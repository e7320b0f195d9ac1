package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.Api.body;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may do what at the deployer, called directly: admin / deployer / viewer / service / no groups / expired / no
 * token × read / deploy / roll back / undeploy. The deployer has no orchestrator management; those rows are the
 * registry's ({@code registry-service} RoleMatrixTest). Its internal endpoint, for the registry only, is {@code
 * InternalOrchestratorAppsTest}'s.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class RoleMatrixTest {

    private static UUID existing;
    private static String existingApp;

    enum Caller {
        ADMIN(() -> Api.token(DevUser.ADMIN)),
        DEPLOYER(() -> Api.token(DevUser.DEPLOYER)),
        VIEWER(() -> Api.token(DevUser.VIEWER)),
        SERVICE(() -> DevStack.oidc().serviceToken()),
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
        REVISIONS,
        STATUS,
        STATUS_STREAM,
        LOG,
        LOG_STREAM,
        EVENTS,
        DEPLOY,
        ROLLBACK,
        UPDATE_IMAGE,
        UNDEPLOY,
        IMAGE_REGISTRIES,
        SET_IMAGE_REGISTRY;

        Response call(Caller caller) {
            UUID id = existing();
            RequestSpecification request = caller.request();
            String neverDeployed = uniqueApp("never");
            return switch (this) {
                case LIST -> request.get("/api/deployments");
                case GET -> request.get("/api/deployments/{id}", id);
                case REVISIONS ->
                    request.get(
                            "/api/apps/{o}/{n}/{a}/revisions",
                            RegistryStandIn.LOCAL,
                            RegistryStandIn.LOCAL_NAMESPACE,
                            existingApp);
                // an app never deployed: passing the role check ends in "not found", failing it in 403
                case STATUS ->
                    request.get(
                            "/api/apps/{o}/{n}/{a}/status",
                            RegistryStandIn.LOCAL,
                            RegistryStandIn.LOCAL_NAMESPACE,
                            neverDeployed);
                case STATUS_STREAM ->
                    request.accept("text/event-stream")
                            .get(
                                    "/api/apps/{o}/{n}/{a}/status/stream",
                                    RegistryStandIn.LOCAL,
                                    RegistryStandIn.LOCAL_NAMESPACE,
                                    neverDeployed);
                case LOG ->
                    request.get(
                            "/api/apps/{o}/{n}/{a}/pods/{p}/log",
                            RegistryStandIn.LOCAL,
                            RegistryStandIn.LOCAL_NAMESPACE,
                            neverDeployed,
                            neverDeployed + "-1");
                case LOG_STREAM ->
                    request.accept("text/event-stream")
                            .get(
                                    "/api/apps/{o}/{n}/{a}/pods/{p}/log/stream",
                                    RegistryStandIn.LOCAL,
                                    RegistryStandIn.LOCAL_NAMESPACE,
                                    neverDeployed,
                                    neverDeployed + "-1");
                case EVENTS ->
                    request.get(
                            "/api/apps/{o}/{n}/{a}/events",
                            RegistryStandIn.LOCAL,
                            RegistryStandIn.LOCAL_NAMESPACE,
                            neverDeployed);
                case DEPLOY ->
                    request.contentType(ContentType.JSON)
                            .body(body(RegistryStandIn.LOCAL, null, spec(uniqueApp("roles"))))
                            .post("/api/deployments");
                // an app never deployed: passing the role check ends in "not found", failing it in 403
                case ROLLBACK ->
                    request.contentType(ContentType.JSON)
                            .body(Map.of("revision", 1))
                            .post(
                                    "/api/apps/{o}/{n}/{a}/rollback",
                                    RegistryStandIn.LOCAL,
                                    RegistryStandIn.LOCAL_NAMESPACE,
                                    neverDeployed);
                case UPDATE_IMAGE ->
                    request.contentType(ContentType.JSON)
                            .body(Map.of("image", "nginx:1.28"))
                            .post(
                                    "/api/apps/{o}/{n}/{a}/image",
                                    RegistryStandIn.LOCAL,
                                    RegistryStandIn.LOCAL_NAMESPACE,
                                    neverDeployed);
                case IMAGE_REGISTRIES -> request.get("/api/image-registries");
                // an invalid body: passing the role check ends in 400, failing it in 403
                case SET_IMAGE_REGISTRY ->
                    request.contentType(ContentType.JSON)
                            .body(Map.of("password", "p"))
                            .put("/api/image-registries/registry.example.com");
                case UNDEPLOY ->
                    request.delete(
                            "/api/apps/{o}/{n}/{a}",
                            RegistryStandIn.LOCAL,
                            RegistryStandIn.LOCAL_NAMESPACE,
                            neverDeployed);
            };
        }
    }

    /** One deployment for the reads, made once by the deployer user. */
    private static synchronized UUID existing() {
        if (existing == null) {
            existingApp = uniqueApp("read");
            existing = Api.deploy(RegistryStandIn.LOCAL, null, spec(existingApp));
            // the revision is numbered when the request is taken up, a moment after the 202
            Awaitility.await()
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> given().auth()
                                    .oauth2(DevStack.oidc().accessToken(DevUser.ADMIN))
                                    .get(
                                            "/api/apps/{o}/{n}/{a}/revisions",
                                            RegistryStandIn.LOCAL,
                                            RegistryStandIn.LOCAL_NAMESPACE,
                                            existingApp)
                                    .statusCode()
                            == 200);
        }
        return existing;
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ADMIN,     LIST,      200",
        "ADMIN,     GET,       200",
        "ADMIN,     REVISIONS, 200",
        "ADMIN,     STATUS,    404",
        "ADMIN,     STATUS_STREAM, 404",
        "ADMIN,     LOG,       404",
        "ADMIN,     LOG_STREAM, 404",
        "ADMIN,     EVENTS,    404",
        "ADMIN,     DEPLOY,    202",
        "ADMIN,     ROLLBACK,  404",
        "ADMIN,     UPDATE_IMAGE, 404",
        "ADMIN,     UNDEPLOY,  404",
        "DEPLOYER,  LIST,      200",
        "DEPLOYER,  GET,       200",
        "DEPLOYER,  REVISIONS, 200",
        "DEPLOYER,  STATUS,    404",
        "DEPLOYER,  STATUS_STREAM, 404",
        "DEPLOYER,  LOG,       404",
        "DEPLOYER,  LOG_STREAM, 404",
        "DEPLOYER,  EVENTS,    404",
        "DEPLOYER,  DEPLOY,    202",
        "DEPLOYER,  ROLLBACK,  404",
        "DEPLOYER,  UPDATE_IMAGE, 404",
        "DEPLOYER,  UNDEPLOY,  404",
        "VIEWER,    LIST,      200",
        "VIEWER,    GET,       200",
        "VIEWER,    REVISIONS, 200",
        "VIEWER,    STATUS,    404",
        "VIEWER,    STATUS_STREAM, 404",
        "VIEWER,    LOG,       404",
        "VIEWER,    LOG_STREAM, 404",
        "VIEWER,    EVENTS,    404",
        "VIEWER,    DEPLOY,    403",
        "VIEWER,    ROLLBACK,  403",
        "VIEWER,    UPDATE_IMAGE, 403",
        "VIEWER,    UNDEPLOY,  403",
        "SERVICE,   LIST,      403",
        "SERVICE,   GET,       403",
        "SERVICE,   REVISIONS, 403",
        "SERVICE,   STATUS,    403",
        "SERVICE,   STATUS_STREAM, 403",
        "SERVICE,   LOG,       403",
        "SERVICE,   LOG_STREAM, 403",
        "SERVICE,   EVENTS,    403",
        "SERVICE,   DEPLOY,    403",
        "SERVICE,   ROLLBACK,  403",
        "SERVICE,   UPDATE_IMAGE, 403",
        "SERVICE,   UNDEPLOY,  403",
        "NO_GROUPS, LIST,      403",
        "NO_GROUPS, GET,       403",
        "NO_GROUPS, STATUS,    403",
        "NO_GROUPS, STATUS_STREAM, 403",
        "NO_GROUPS, LOG,       403",
        "NO_GROUPS, LOG_STREAM, 403",
        "NO_GROUPS, EVENTS,    403",
        "NO_GROUPS, DEPLOY,    403",
        "NO_GROUPS, UPDATE_IMAGE, 403",
        "NO_GROUPS, UNDEPLOY,  403",
        "EXPIRED,   LIST,      401",
        "EXPIRED,   DEPLOY,    401",
        "NONE,      LIST,      401",
        "NONE,      GET,       401",
        "NONE,      REVISIONS, 401",
        "NONE,      STATUS,    401",
        "NONE,      STATUS_STREAM, 401",
        "NONE,      LOG,       401",
        "NONE,      LOG_STREAM, 401",
        "NONE,      EVENTS,    401",
        "NONE,      DEPLOY,    401",
        "NONE,      ROLLBACK,  401",
        "NONE,      UPDATE_IMAGE, 401",
        "NONE,      UNDEPLOY,  401",
        "ADMIN, IMAGE_REGISTRIES, 200",
        "ADMIN, SET_IMAGE_REGISTRY, 400",
        "DEPLOYER, IMAGE_REGISTRIES, 403",
        "DEPLOYER, SET_IMAGE_REGISTRY, 403",
        "VIEWER, IMAGE_REGISTRIES, 403",
        "VIEWER, SET_IMAGE_REGISTRY, 403",
        "SERVICE, IMAGE_REGISTRIES, 403",
        "SERVICE, SET_IMAGE_REGISTRY, 403",
        "NO_GROUPS, IMAGE_REGISTRIES, 403",
        "NO_GROUPS, SET_IMAGE_REGISTRY, 403",
        "EXPIRED, IMAGE_REGISTRIES, 401",
        "EXPIRED, SET_IMAGE_REGISTRY, 401",
        "NONE, IMAGE_REGISTRIES, 401",
        "NONE, SET_IMAGE_REGISTRY, 401"
    })
    void answers(Caller caller, Operation operation, int status) {
        Response response = operation.call(caller);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        if (status >= 400) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
            assertThat(response.jsonPath().getString("instance")).startsWith("/api/");
        }
        if (status == 401 || status == 403) {
            assertThat(response.jsonPath().getString("type"))
                    .isEqualTo(status == 401 ? "urn:windlass:problem:unauthorized" : "urn:windlass:problem:forbidden");
        }
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }
}
