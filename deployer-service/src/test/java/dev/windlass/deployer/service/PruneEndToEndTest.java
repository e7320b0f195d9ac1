package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Revisions record the objects they apply, and a later revision prunes what the app's earlier revisions left, on the
 * dev-stack API server through the whole pipeline — also for an app whose revisions predate that record.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class PruneEndToEndTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final List<PortSpec> WITH_NODE_PORT = List.of(
            PortSpec.cluster("http", 8080), new PortSpec("admin", 8443, PortProtocol.TCP, Exposure.NODE_PORT, null));

    @Test
    void eachRevisionRecordsItsObjectsAndTheNextPrunesWhatItDropped() {
        String app = uniqueApp("rec");
        UUID first = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app, WITH_NODE_PORT));
        rollOut(first, app);
        assertThat(objectRefs(app))
                .singleElement()
                .satisfies(refs -> assertThat(refs)
                        .contains("\"kind\":\"Service\"", "\"name\":\"" + app + "-np\"", "\"kind\":\"Deployment\""));
        assertThat(service(app + "-np")).isNotNull();

        UUID second = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        rollOut(second, app);

        assertThat(service(app + "-np")).isNull();
        assertThat(service(app)).isNotNull();
        Api.get(second).then().body("phases.message", org.hamcrest.Matchers.hasItem(containsString("1 pruned")));
        assertThat(objectRefs(app))
                .hasSize(2)
                .allSatisfy(refs -> assertThat(refs).contains("\"kind\":\"Deployment\""));
        assertThat(objectRefs(app).get(1)).doesNotContain(app + "-np");
    }

    @Test
    void anAppWhoseRevisionsPredateTheRecordIsPrunedByListingEveryKind() {
        String app = uniqueApp("legacy");
        UUID first = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app, WITH_NODE_PORT));
        rollOut(first, app);
        // as stored before the deployer recorded revisions' objects
        assertThat(TestDb.update("update revisions set object_refs = null where app = ?", app))
                .isEqualTo(1);

        UUID second = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        rollOut(second, app);

        // no revision recorded the NodePort Service: only the full LIST finds it
        assertThat(service(app + "-np")).isNull();
        assertThat(service(app)).isNotNull();
        List<String> refs = objectRefs(app);
        assertThat(refs.get(0)).isNull();
        assertThat(refs.get(1)).contains("\"name\":\"" + app + "\"").doesNotContain(app + "-np");
    }

    private static List<String> objectRefs(String app) {
        return TestDb.column("select object_refs from revisions where app = ? order by number", app);
    }

    private static Service service(String name) {
        Service service = DevStack.kube()
                .adminClient()
                .services()
                .inNamespace(NS)
                .withName(name)
                .get();
        return service == null || service.getMetadata().getDeletionTimestamp() != null ? null : service;
    }

    private static void rollOut(UUID id, String app) {
        Api.awaitRolledOut(id, NS, app);
    }
}
