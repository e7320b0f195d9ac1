package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A deployment the API stored stays PENDING only while its request is on its way: once the request has left the
 * outbox (or was quarantined there) and nothing took it up for {@code sweep.pending-after}, the sweep ends it FAILED
 * with the reason, so that its event stream ends and its caller learns to ask again. A request still waiting in the
 * outbox (a broker outage) is never expired.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class PendingSweepTest {

    /** The relay's advisory lock key, as {@code OutboxRepository} takes it. */
    private static final long RELAY_LOCK = 0x77696e646c617373L;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Recovery recovery;

    @Test
    void aPendingDeploymentWhoseRequestCanNoLongerArriveEndsFailedWithTheReason() throws Exception {
        UUID id;
        try (Connection other = dataSource.getConnection();
                Statement statement = other.createStatement()) {
            // another "replica" leads the relay: the request stays in the outbox
            statement.execute("select pg_advisory_lock(" + RELAY_LOCK + ")");
            try {
                id = Api.deploy(RegistryStandIn.LOCAL, null, spec(uniqueApp("stranded")));
                TestDb.update("update deployments set requested_at = now() - interval '1 hour' where id = ?", id);

                recovery.sweep().await().atMost(Duration.ofSeconds(30));
                assertThat(Api.phase(id))
                        .as("a request still waiting in the outbox is on its way")
                        .isEqualTo("PENDING");

                TestDb.update("update outbox set quarantined_at = now(), last_error = 'test' where event_id = ?", id);
                recovery.sweep().await().atMost(Duration.ofSeconds(30));
            } finally {
                statement.execute("select pg_advisory_unlock(" + RELAY_LOCK + ")");
            }
        }
        try {
            assertThat(Api.phase(id)).isEqualTo("FAILED");
            assertThat(TestDb.column("select message from deployments where id = ?", id))
                    .singleElement()
                    .asString()
                    .startsWith("the request was not taken up within 15 minutes of being made");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(TestKafka.statuses(id))
                            .extracting(DeploymentStatusChanged::phase)
                            .containsExactly(DeploymentPhase.FAILED));
        } finally {
            TestDb.update("delete from outbox where event_id = ?", id);
        }
    }
}
