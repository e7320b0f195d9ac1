package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.Api.as;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Strict field validation: unknown or misspelt fields of any body are refused, each named, never dropped. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class StrictInputTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void refusesAnUnknownSpecFieldInsteadOfDeployingWithoutIt() {
        String app = uniqueApp("privileged");
        as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body("""
                        {"orchestrator":"%s","namespace":"%s",
                         "spec":{"name":"%s","image":"nginx:1.27","privileged":true}}
                        """.formatted(RegistryStandIn.LOCAL, RegistryStandIn.LOCAL_NAMESPACE, app))
                .post("/api/deployments")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:windlass:problem:validation"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/api/deployments"))
                .body("detail", equalTo("spec.privileged: unknown field"))
                .body("violations.path", contains("spec.privileged"))
                .body("violations.rule", contains("unknown-field"))
                .body("violations.message", contains("unknown field"));
        assertThat(TestDb.count("select count(*) from deployments where app = ?", app))
                .isZero();
    }

    @Test
    void namesEveryUnknownFieldAtAnyDepthWithTheFieldMeant() {
        String app = uniqueApp("typos");
        as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body("""
                        {"orchestrator":"%s","namespce":"%s",
                         "spec":{"name":"%s","image":"nginx:1.27","replica":3,
                          "ports":[{"name":"http","containerPort":8080,"exposure":"INGRESS","hostPort":80}],
                          "ingress":{"host":"typos.example.com","tls":true},
                          "resources":{"limits":{"cpu":"1","memroy":"1Gi"}},
                          "volumes":[{"name":"data","mountPath":"/data","size":"1Gi","storageclass":"fast"}],
                          "probes":{"liveness":{"type":"TCP","port":8080,"timeoutSeconds":3}},
                          "networkPolicy":{"allowFrom":[],"denyFrom":["x"]},
                          "env":{"replica":"env names are data"},"labels":{"privileged":"label keys are data"}}}
                        """.formatted(RegistryStandIn.LOCAL, RegistryStandIn.LOCAL_NAMESPACE, app))
                .post("/api/deployments")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:windlass:problem:validation"))
                .body(
                        "detail",
                        equalTo("8 unknown fields: namespce, spec.replica, spec.ports[0].hostPort, spec.ingress.tls,"
                                + " spec.resources.limits.memroy, spec.volumes[0].storageclass,"
                                + " spec.probes.liveness.timeoutSeconds, spec.networkPolicy.denyFrom"))
                .body(
                        "violations.path",
                        contains(
                                "namespce",
                                "spec.replica",
                                "spec.ports[0].hostPort",
                                "spec.ingress.tls",
                                "spec.resources.limits.memroy",
                                "spec.volumes[0].storageclass",
                                "spec.probes.liveness.timeoutSeconds",
                                "spec.networkPolicy.denyFrom"))
                .body("violations.rule", everyItem(equalTo("unknown-field")))
                .body(
                        "violations.find { it.path == 'spec.replica' }.message",
                        equalTo("unknown field; did you mean replicas?"))
                .body(
                        "violations.find { it.path == 'namespce' }.message",
                        equalTo("unknown field; did you mean namespace?"))
                .body(
                        "violations.find { it.path == 'spec.volumes[0].storageclass' }.message",
                        equalTo("unknown field; did you mean storageClass?"))
                .body(
                        "violations.find { it.path == 'spec.resources.limits.memroy' }.message",
                        equalTo("unknown field; did you mean memory?"));
        assertThat(TestDb.count("select count(*) from deployments where app = ?", app))
                .isZero();
    }

    @Test
    void refusesAMisspeltRollbackField() {
        as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body("{\"revison\":2}")
                .post("/api/apps/{o}/{n}/{a}/rollback", RegistryStandIn.LOCAL, "shop", "web")
                .then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("detail", equalTo("revison: unknown field; did you mean revision?"))
                .body("violations.path", contains("revison"))
                .body("violations.rule", contains("unknown-field"));
    }

    @Test
    void aBodyWithOnlyKnownFieldsIsStillAccepted() {
        String app = uniqueApp("strict-ok");
        as(DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body("""
                        {"orchestrator":"%s","namespace":"%s",
                         "spec":{"name":"%s","image":"nginx:1.27","replicas":1,
                          "ports":[{"name":"http","containerPort":8080,"protocol":"TCP","exposure":"CLUSTER"}],
                          "probes":{"readiness":{"type":"TCP","port":8080,"periodSeconds":5}},
                          "env":{"ANY_NAME":"x"},"labels":{"tier":"web"}}}
                        """.formatted(RegistryStandIn.LOCAL, RegistryStandIn.LOCAL_NAMESPACE, app))
                .post("/api/deployments")
                .then()
                .statusCode(202)
                .body("app", equalTo(app))
                .body("phase", equalTo("PENDING"));
    }
}
