package dev.windlass.deployer.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.ScriptedCluster;
import dev.windlass.deployer.testing.SwitchableCluster;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.orchestrator.OrchestratorChange;
import dev.windlass.events.orchestrator.OrchestratorChanged;
import dev.windlass.events.orchestrator.OrchestratorEnvironment;
import dev.windlass.events.orchestrator.OrchestratorType;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection material from the registry stand-in: fetched with a service token, cached, dropped on change. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ConnectionCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ConnectionCache connections;

    private ScriptedCluster cluster;

    @BeforeEach
    void scriptTheCluster() {
        cluster = new ScriptedCluster();
        SwitchableCluster.script(cluster);
    }

    @AfterEach
    void backToTheRealCluster() {
        SwitchableCluster.reset();
    }

    @Test
    void reusesConnectionMaterialUntilTheRegistryAnnouncesAChange() {
        RegistryStandIn registry = RegistryStandIn.current();
        ClusterConnection first = get(RegistryStandIn.LOCAL);
        int served = registry.served(RegistryStandIn.LOCAL);
        assertThat(get(RegistryStandIn.LOCAL)).isEqualTo(first);
        assertThat(registry.served(RegistryStandIn.LOCAL)).isEqualTo(served);

        UUID orchestratorId = UUID.randomUUID();
        var changed = changed(orchestratorId, RegistryStandIn.LOCAL);
        TestKafka.produce(changed);
        await().atMost(WAIT)
                .until(() -> cluster.calls().stream()
                        .anyMatch(
                                c -> c.operation().equals("forget") && RegistryStandIn.LOCAL.equals(c.orchestrator())));
        get(RegistryStandIn.LOCAL);
        assertThat(registry.served(RegistryStandIn.LOCAL)).isEqualTo(served + 1);

        // a redelivered event is skipped: once the next event (same key, so consumed after it) is handled,
        // the orchestrator was forgotten only once
        TestKafka.produce(changed);
        TestKafka.produce(changed(orchestratorId, "sentinel"));
        await().atMost(WAIT)
                .until(() -> cluster.calls().stream()
                        .anyMatch(c -> c.operation().equals("forget") && "sentinel".equals(c.orchestrator())));
        assertThat(cluster.calls().stream()
                        .filter(c -> c.operation().equals("forget") && RegistryStandIn.LOCAL.equals(c.orchestrator())))
                .hasSize(1);
    }

    @Test
    void anOrchestratorTheRegistryDoesNotKnowIsNotFound() {
        assertThatThrownBy(() -> get("nowhere"))
                .isInstanceOf(OrchestratorNotFoundException.class)
                .hasMessageContaining("'nowhere'");
    }

    @Test
    void theRegistryAnswersServiceTokensOnly() {
        String path =
                RegistryStandIn.current().url() + "/internal/orchestrators/" + RegistryStandIn.LOCAL + "/connection";
        int refused = RegistryStandIn.current().refused();
        given().get(path).then().statusCode(401);
        given().auth().oauth2(Api.token(DevUser.ADMIN)).get(path).then().statusCode(401);
        assertThat(RegistryStandIn.current().refused()).isEqualTo(refused + 2);
        given().auth()
                .oauth2(DevStack.oidc().serviceToken())
                .get(path)
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo(RegistryStandIn.LOCAL));
        // the deployer's own calls carried valid service tokens: it got material, and was never refused
        assertThat(get(RegistryStandIn.LOCAL).apiServerUrl())
                .isEqualTo(DevStack.kube().url());
        assertThat(RegistryStandIn.current().refused()).isEqualTo(refused + 2);
    }

    private ClusterConnection get(String name) {
        return connections.get(name).await().atMost(WAIT);
    }

    private static EventEnvelope<OrchestratorChanged> changed(UUID id, String name) {
        return EventEnvelope.create(
                EventType.ORCHESTRATOR_CHANGED,
                CloudEventHeaders.SOURCE_REGISTRY,
                new OrchestratorChanged(
                        OrchestratorChange.UPDATED,
                        id,
                        name,
                        OrchestratorType.K8S,
                        OrchestratorEnvironment.DEV,
                        null,
                        Instant.now(),
                        new Actor("admin", "admin")));
    }
}
