package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.windlass.deployer.kubernetes.WindlassLabels;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An undeploy that races the deletion of its orchestrator, on the dev-stack API server through the whole pipeline:
 * whichever comes first, the deployment never ends DELETED while an object of the app is still on the cluster, and
 * one that could not reach the cluster ends FAILED naming the deleted orchestrator.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class UndeployRaceTest {

    private static final Logger LOG = Logger.getLogger(UndeployRaceTest.class);
    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final List<String> GROUPS = List.of("windlass-deployers", "windlass-viewers");

    private final KubernetesClient admin = DevStack.kube().adminClient();

    @Test
    void anUndeployRacingTheOrchestratorsDeletionNeverEndsDeletedWhileAnObjectRemains() throws Exception {
        RegistryStandIn registry = RegistryStandIn.current();
        ConnectionCache cache = Arc.container().instance(ConnectionCache.class).get();
        List<String> outcomes = new ArrayList<>();
        // the orchestrator is deleted right after the undeploy is accepted, then later and later
        for (int delayMillis : List.of(0, 0, 25, 100, 400, 1500)) {
            String orchestrator = uniqueApp("racing");
            registry.put(RegistryStandIn.admin(DevStack.kube(), orchestrator, "K8S", null, NS, GROUPS));
            UUID id = registry.get(orchestrator).id();
            String app = uniqueApp("race");
            rollOut(Api.deploy(orchestrator, NS, spec(app)), app);
            assertThat(objectsOf(app)).isNotEmpty();

            UUID undeploy = Api.undeploy(orchestrator, NS, app);
            Thread.sleep(delayMillis);
            // the registry deletes it and announces the deletion, which drops the deployer's cached material
            registry.remove(orchestrator);
            cache.forget(orchestrator, id);

            String phase = finalPhase(undeploy);
            String message = Api.get(undeploy).then().extract().path("message");
            outcomes.add(delayMillis + " ms: " + phase);
            if (phase.equals("DELETED")) {
                assertThat(objectsOf(app))
                        .as("DELETED after %d ms (%s)", delayMillis, message)
                        .isEmpty();
                assertThat(message).startsWith("removed ").endsWith("none is left on the cluster");
            } else {
                assertThat(phase).as(message).isEqualTo("FAILED");
                assertThat(message).isEqualTo("no orchestrator has id " + id + " (it was deleted)");
                assertThat(objectsOf(app))
                        .as("FAILED before reaching the cluster")
                        .isNotEmpty();
            }
        }
        LOG.infof("undeploys racing their orchestrator's deletion ended: %s", outcomes);
    }

    @Test
    void anUndeployThroughANewRecordOfTheSameClusterEndsFailedNamingWhatRemains() {
        RegistryStandIn registry = RegistryStandIn.current();
        String orchestrator = uniqueApp("again");
        registry.put(RegistryStandIn.admin(DevStack.kube(), orchestrator, "K8S", null, NS, GROUPS));
        UUID first = registry.get(orchestrator).id();
        String app = uniqueApp("kept");
        rollOut(Api.deploy(orchestrator, NS, spec(app)), app);

        // deleted (its apps orphaned) and registered again under the same name: a new record with a new id
        UUID second = registry.registerAgain(orchestrator);
        Arc.container().instance(ConnectionCache.class).get().forget(orchestrator, first);

        // the new record never deployed the app: nothing to undeploy through it
        Api.as(DevUser.DEPLOYER)
                .delete("/api/apps/{o}/{n}/{a}", orchestrator, NS, app)
                .then()
                .statusCode(404)
                .body("detail", is("app " + NS + "/" + app + " was never deployed on " + orchestrator));
        // a deploy through it stops at the first object the old record owns
        UUID deploy = Api.deploy(orchestrator, NS, spec(app));
        Api.awaitPhase(deploy, "FAILED");
        assertThat(Api.get(deploy).then().extract().<String>path("message"))
                .contains("already exists and belongs to Windlass app " + app + " in namespace " + NS
                        + " of orchestrator " + first);

        UUID undeploy = Api.undeploy(orchestrator, NS, app);
        Api.awaitPhase(undeploy, "FAILED");
        assertThat(Api.get(undeploy).then().extract().<String>path("message"))
                .startsWith("removed 0 object(s) of " + app + ", but ")
                .contains("remain on the cluster: ")
                .contains("(belongs to Windlass app " + app + " in namespace " + NS + " of orchestrator " + first + ")")
                .doesNotContain(second.toString());
        assertThat(objectsOf(app)).isNotEmpty();
    }

    private static void rollOut(UUID id, String app) {
        Api.awaitRolledOut(id, NS, app);
    }

    private static String finalPhase(UUID id) {
        return await().atMost(Api.PHASE_TIMEOUT)
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(
                        () -> Api.phase(id),
                        phase -> List.of("DELETED", "FAILED").contains(phase));
    }

    /** The app's Deployment and Services that are not being deleted. */
    private List<String> objectsOf(String app) {
        List<String> live = new ArrayList<>();
        admin.apps().deployments().inNamespace(NS).withLabels(WindlassLabels.selector(app)).list().getItems().stream()
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
                .forEach(o -> live.add("Deployment " + o.getMetadata().getName()));
        admin.services().inNamespace(NS).withLabels(WindlassLabels.selector(app)).list().getItems().stream()
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
                .forEach(o -> live.add("Service " + o.getMetadata().getName()));
        return live;
    }
}
