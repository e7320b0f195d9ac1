package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.UPDATED_IMAGE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's kube-apiserver goes away while deployments are flowing and comes back a few seconds later
 * (etcd and its data stay): every deployment is applied exactly once and reaches its final phase. The cluster is a
 * dedicated API server, so stopping it disturbs no other test.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ApiServerOutageTest {

    private static final String NS = "outage";
    /**
     * How long the API server stays away, its restart (seconds to tens of seconds on a busy machine) not counted;
     * together well inside the cluster layer's retry budget ({@code windlass.deployer.kubernetes.retry.budget}, 2
     * minutes).
     */
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    private static final List<DeploymentPhase> TO_SUCCESS = List.of(
            DeploymentPhase.ACCEPTED, DeploymentPhase.APPLYING, DeploymentPhase.PROGRESSING, DeploymentPhase.SUCCEEDED);

    static KubeApiServer kube;
    static String orchestrator;

    @BeforeAll
    static void startTheOrchestrator() {
        kube = KubeApiServer.create();
        kube.start();
        kube.ensureNamespace(NS);
        orchestrator = uniqueApp("flaky");
        RegistryStandIn.current()
                .put(RegistryStandIn.admin(kube, orchestrator, "K8S", null, NS, List.of("windlass-deployers")));
    }

    @AfterAll
    static void stopTheOrchestrator() {
        RegistryStandIn.current().remove(orchestrator);
        kube.close();
    }

    @Test
    void everyDeploymentIsAppliedOnceAndFinishesAfterTheApiServerIsBack() {
        // before: three apps rolled out on the healthy cluster
        List<String> apps = List.of(uniqueApp("steady"), uniqueApp("steady"), uniqueApp("steady"));
        for (String app : apps) {
            UUID id = Api.deploy(orchestrator, null, spec(app));
            Api.awaitPhase(id, "PROGRESSING");
            Kubelet.rollOut(kube.adminClient(), NS, app);
            Api.awaitPhase(id, "SUCCEEDED");
        }

        // during: new apps and new revisions of the running ones keep coming while the API server is away
        Map<UUID, String> inFlight = new LinkedHashMap<>();
        kube.stopApiServer();
        try {
            for (int i = 0; i < 3; i++) {
                String app = uniqueApp("newcomer");
                inFlight.put(Api.deploy(orchestrator, null, spec(app)), app);
            }
            for (String app : apps) {
                inFlight.put(Api.deploy(orchestrator, null, spec(app, UPDATED_IMAGE)), app);
            }
            // nothing can be applied, and nothing gives up: transient failures are retried within the budget
            await().during(OUTAGE)
                    .atMost(OUTAGE.plusSeconds(10))
                    .until(() -> inFlight.keySet().stream()
                            .map(Api::phase)
                            .allMatch(phase ->
                                    List.of("PENDING", "ACCEPTED", "APPLYING").contains(phase)));
        } finally {
            kube.startApiServer();
        }

        // after: every deployment reaches PROGRESSING, rolls out and succeeds
        List<UUID> ids = new ArrayList<>(inFlight.keySet());
        for (UUID id : ids) {
            Api.awaitPhase(id, "PROGRESSING");
            Kubelet.rollOut(kube.adminClient(), NS, inFlight.get(id));
            Api.awaitPhase(id, "SUCCEEDED");
        }

        for (UUID id : ids) {
            // one pass through each phase: applied once, not twice
            assertThat(TestDb.phases(id)).containsExactly("ACCEPTED", "APPLYING", "PROGRESSING", "SUCCEEDED");
            assertThat(TestDb.count("select count(*) from revisions where deployment_id = ?", id))
                    .isEqualTo(1);
            await().untilAsserted(() -> assertThat(TestKafka.phaseStatuses(id))
                    .extracting(DeploymentStatusChanged::phase)
                    .containsExactlyElementsOf(TO_SUCCESS));
        }
        for (String app : apps) {
            Deployment deployment = kube.adminClient()
                    .apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(app)
                    .get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                    .singleElement()
                    .extracting(c -> c.getImage())
                    .isEqualTo(UPDATED_IMAGE);
            // revision 1 and revision 2 changed the pod template: two generations, no extra write
            assertThat(deployment.getMetadata().getGeneration()).isEqualTo(2L);
            assertThat(TestDb.column("select number from revisions where app = ? order by number", app))
                    .containsExactly("1", "2");
        }
    }
}
