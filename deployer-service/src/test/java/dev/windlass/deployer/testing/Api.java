package dev.windlass.deployer.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.events.spec.AppSpec;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The deployer's REST API as tests call it. */
public final class Api {

    /** How long a test waits for a deployment to reach a phase. */
    public static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

    private Api() {}

    public static String token(DevUser user) {
        return DevStack.oidc().accessToken(user);
    }

    public static RequestSpecification as(DevUser user) {
        return as(token(user));
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    public static Map<String, Object> body(String orchestrator, String namespace, AppSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orchestrator", orchestrator);
        if (namespace != null) {
            body.put("namespace", namespace);
        }
        body.put("spec", spec);
        return body;
    }

    /** Posts a deployment as the deployer user and returns its id; fails unless 202. */
    public static UUID deploy(String orchestrator, String namespace, AppSpec spec) {
        return deploy(token(DevUser.DEPLOYER), orchestrator, namespace, spec);
    }

    public static UUID deploy(String token, String orchestrator, String namespace, AppSpec spec) {
        String id = as(token)
                .contentType(ContentType.JSON)
                .body(body(orchestrator, namespace, spec))
                .post("/api/deployments")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    public static UUID rollback(String orchestrator, String namespace, String app, int revision) {
        String id = as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Map.of("revision", revision))
                .post("/api/apps/{o}/{n}/{a}/rollback", orchestrator, namespace, app)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    public static UUID undeploy(String orchestrator, String namespace, String app) {
        String id = as(DevUser.DEPLOYER)
                .delete("/api/apps/{o}/{n}/{a}", orchestrator, namespace, app)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        return UUID.fromString(id);
    }

    /** The deployment as an admin reads it (who else may read it is {@code ReadScopeTest}'s to check). */
    public static Response get(UUID id) {
        return as(DevUser.ADMIN).get("/api/deployments/{id}", id);
    }

    public static String phase(UUID id) {
        return get(id).then().statusCode(200).extract().path("phase");
    }

    /**
     * Waits until the deployment is rolling out, rolls its Deployment out as a kubelet would ({@link Kubelet#rollOut})
     * and waits until it has succeeded.
     */
    public static void awaitRolledOut(UUID id, String namespace, String app) {
        awaitPhase(id, "PROGRESSING");
        Kubelet.rollOut(namespace, app);
        awaitPhase(id, "SUCCEEDED");
    }

    /** Waits until the deployment is in {@code phase}; fails early if it reaches another final phase. */
    public static void awaitPhase(UUID id, String phase) {
        await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            Response response = get(id);
            if (response.statusCode() == 404) {
                return false; // a request from Kafka makes its deployment once it is consumed
            }
            String now = response.then().statusCode(200).extract().path("phase");
            if (!now.equals(phase)
                    && List.of("SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED").contains(now)) {
                throw new AssertionError("deployment " + id + " reached " + now + " instead of " + phase + ": "
                        + get(id).then().extract().path("message"));
            }
            return now.equals(phase);
        });
    }

    /** The images of the app's image updates (action UPDATE_IMAGE), newest first, as an admin lists them. */
    public static List<String> imageUpdates(String app) {
        return as(DevUser.ADMIN)
                .queryParam("app", app)
                .get("/api/deployments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.findAll { it.action == 'UPDATE_IMAGE' }.image", String.class);
    }
}
