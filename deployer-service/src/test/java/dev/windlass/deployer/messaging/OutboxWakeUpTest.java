package dev.windlass.deployer.messaging;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes outbox rows once the transaction that wrote them committed, not at its next poll: with the
 * poll an hour apart, a deploy request still reaches the intake and its status events still reach the broker.
 */
@QuarkusTest
@TestProfile(OutboxWakeUpTest.HourlyPoll.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class OutboxWakeUpTest {

    /** The deployer's test profile with the relay's poll an hour apart: its first poll comes after the test. */
    public static class HourlyPoll extends DeployerTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("windlass.deployer.outbox.poll-interval", "PT1H");
            return overrides;
        }
    }

    @Test
    void eventsLeaveOnceTheirTransactionCommittedWithoutWaitingForThePoll() {
        String app = uniqueApp("wake");

        // the request event (API transaction), ACCEPTED (intake), APPLYING and PROGRESSING (pipeline) all go out
        // through the outbox
        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(app));

        Api.awaitPhase(id, "PROGRESSING");
        await().untilAsserted(() -> assertThat(TestKafka.statuses(id))
                .extracting(DeploymentStatusChanged::phase)
                .containsExactly(DeploymentPhase.ACCEPTED, DeploymentPhase.APPLYING, DeploymentPhase.PROGRESSING));
    }
}
