package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.UPDATED_IMAGE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Deployments, revisions and host claims refer to an orchestrator by its id: renaming it keeps every app's revision
 * numbers, rollback, prune and undeploy, on the dev-stack API server through the whole pipeline; rows stored before
 * the id was kept are given it.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class OrchestratorRenameTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final List<PortSpec> WITH_NODE_PORT = List.of(
            PortSpec.cluster("http", 8080), new PortSpec("admin", 8443, PortProtocol.TCP, Exposure.NODE_PORT, null));

    @Test
    void aRenameKeepsTheRevisionsRollbackPruneAndUndeployOfEveryApp() {
        String before = uniqueApp("cluster");
        String after = uniqueApp("renamed");
        RegistryStandIn registry = RegistryStandIn.current();
        registry.put(RegistryStandIn.admin(
                DevStack.kube(), before, "K8S", null, NS, List.of("windlass-deployers", "windlass-viewers")));
        UUID id = registry.get(before).id();
        String app = uniqueApp("kept");

        // revisions 1 (with a NodePort Service) and 2 (without) under the old name
        rollOut(Api.deploy(before, NS, spec(app, WITH_NODE_PORT)), app);
        rollOut(Api.deploy(before, NS, spec(app)), app);

        // the registry renames it and announces the change, which drops the deployer's cached material
        registry.rename(before, after);
        Arc.container().instance(ConnectionCache.class).get().forget(after, id);

        // revision 3 under the new name continues the app's numbering
        UUID third = Api.deploy(after, NS, spec(app, UPDATED_IMAGE));
        rollOut(third, app);
        Api.get(third)
                .then()
                .body("revision", is(3))
                .body("orchestrator", is(after))
                .body("orchestratorId", is(id.toString()));
        Api.as(DevUser.VIEWER)
                .get("/api/apps/{o}/{n}/{a}/revisions", after, NS, app)
                .then()
                .statusCode(200)
                .body("revision", org.hamcrest.Matchers.contains(3, 2, 1));
        Api.as(DevUser.ADMIN)
                .get("/api/apps/{o}/{n}/{a}/revisions", id, NS, app)
                .then()
                .statusCode(200)
                .body("revision", org.hamcrest.Matchers.contains(3, 2, 1));

        // rolling back to revision 1 (made under the old name) brings its NodePort Service back
        UUID rollback = Api.rollback(after, NS, app, 1);
        rollOut(rollback, app);
        Api.get(rollback).then().body("revision", is(4));
        assertThat(service(app + "-np")).isNotNull();

        // undeploying by the new name removes everything the app has, whatever name made it
        UUID undeploy = Api.undeploy(after, NS, app);
        Api.awaitPhase(undeploy, "DELETED");
        assertThat(service(app + "-np")).isNull();
        assertThat(service(app)).isNull();
        assertThat(DevStack.kube()
                        .adminClient()
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName(app)
                        .get())
                .isNull();

        // the whole history is listed under the id, and under the new name
        Api.as(DevUser.ADMIN)
                .queryParam("orchestrator", id.toString())
                .queryParam("app", app)
                .get("/api/deployments")
                .then()
                .body("total", is(5));
        Api.as(DevUser.VIEWER)
                .queryParam("orchestrator", after)
                .queryParam("app", app)
                .get("/api/deployments")
                .then()
                .body("total", is(5));
    }

    @Test
    void rowsStoredBeforeIdsWereKeptAreGivenTheirOrchestratorsId() {
        String app = uniqueApp("old");
        rollOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(app)), app);
        // as stored before the deployer kept ids; plus a row of an orchestrator the registry no longer knows
        TestDb.update("update deployments set orchestrator_id = null where app = ?", app);
        TestDb.update("update revisions set orchestrator_id = null where app = ?", app);
        UUID gone = UUID.randomUUID();
        TestDb.update(
                "insert into deployments (id, orchestrator, namespace, app, action, phase, requested_by_subject,"
                        + " requested_at, updated_at) values (?, 'long-gone', ?, ?, 'APPLY', 'SUCCEEDED', 'someone',"
                        + " now(), now())",
                gone,
                NS,
                app);

        // until it is, the app is still found by its name
        Api.as(DevUser.VIEWER)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .body("revision", org.hamcrest.Matchers.contains(1));

        Arc.container()
                .instance(IdentityBackfill.class)
                .get()
                .fillAll()
                .await()
                .atMost(java.time.Duration.ofSeconds(30));

        String local = RegistryStandIn.current().get(RegistryStandIn.LOCAL).id().toString();
        assertThat(TestDb.column("select orchestrator_id from deployments where app = ? order by requested_at", app))
                .containsExactly(local, null);
        assertThat(TestDb.column("select orchestrator_id from revisions where app = ?", app))
                .containsExactly(local);
        rollOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(app, UPDATED_IMAGE)), app);
        Api.as(DevUser.VIEWER)
                .get("/api/apps/{o}/{n}/{a}/revisions", RegistryStandIn.LOCAL, NS, app)
                .then()
                .body("revision", org.hamcrest.Matchers.contains(2, 1));
    }

    private static void rollOut(UUID id, String app) {
        Api.awaitRolledOut(id, NS, app);
    }

    private static io.fabric8.kubernetes.api.model.Service service(String name) {
        return DevStack.kube()
                .adminClient()
                .services()
                .inNamespace(NS)
                .withName(name)
                .get();
    }
}
