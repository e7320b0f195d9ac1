package dev.windlass.deployer.messaging;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.DevStack;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The outbox relay against the real broker: nothing lost in an outage, one publisher at a time. */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class OutboxRelayTest {

    /** The relay's advisory lock key, as {@code OutboxRepository} takes it. */
    private static final long RELAY_LOCK = 0x77696e646c617373L;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void publishesEverythingOnceTheBrokerIsBack() {
        String app = uniqueApp("outage");
        List<UUID> ids = new ArrayList<>();
        DevStack.kafka().stop();
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(Api.deploy(
                        RegistryStandIn.LOCAL, null, spec(app, "registry.example.com/shop/storefront:" + i)));
            }
            ids.add(Api.deploy(RegistryStandIn.LOCAL, null, spec(uniqueApp("outage-other"))));
            // stored and waiting in the outbox while the broker is away
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> ids.stream().allMatch(id -> Api.phase(id).equals("PENDING")));
            assertThat(TestDb.count("select count(*) from outbox")).isGreaterThanOrEqualTo(ids.size());
        } finally {
            DevStack.kafka().start();
        }
        Api.awaitPhase(ids.get(3), "PROGRESSING");
        Api.awaitPhase(ids.get(2), "PROGRESSING");
        // the app's three requests were applied in the order they were made
        assertThat(TestDb.column("select number from revisions where deployment_id = ?", ids.get(0)))
                .containsExactly("1");
        assertThat(TestDb.column("select number from revisions where deployment_id = ?", ids.get(2)))
                .containsExactly("3");
        for (UUID id : ids) {
            await().untilAsserted(() -> assertThat(TestKafka.statuses(id))
                    .extracting(DeploymentStatusChanged::phase)
                    .containsOnlyOnce(DeploymentPhase.ACCEPTED));
        }
        await().untilAsserted(() ->
                assertThat(TestDb.count("select count(*) from outbox")).isZero());
    }

    @Test
    void twoHundredUnpublishableRowsHoldUpNothingAndAreQuarantined() {
        try {
            holdUpNothing();
        } finally {
            TestDb.update("delete from outbox where quarantined_at is not null or payload = 'not-a-sealed-value'");
        }
    }

    private void holdUpNothing() {
        // rows that can never be published: their payload does not open (as after a removed sealing key)
        for (int i = 0; i < 200; i++) {
            TestDb.update(
                    "insert into outbox (event_id, topic, record_key, headers, payload, created_at)"
                            + " values (?, 'windlass.deploy.status.v1', ?, '{}', 'not-a-sealed-value', now())",
                    UUID.randomUUID(),
                    ("stuck-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        UUID id = Api.deploy(RegistryStandIn.LOCAL, null, spec(uniqueApp("behind-stuck")));

        // the new deploy's status events go out while the broken rows wait out their first failures
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(TestKafka.statuses(id))
                        .extracting(DeploymentStatusChanged::phase)
                        .contains(DeploymentPhase.ACCEPTED));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(TestDb.count(
                                "select count(*) from outbox where quarantined_at is not null and attempts = 3"
                                        + " and last_error like 'Unpublishable: the row does not open%'"))
                        .isEqualTo(200));
        // everything else is published: a row written a moment ago (a later status or health event) goes out at once
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(TestDb.count("select count(*) from outbox where quarantined_at is null"))
                                .as("everything else was published")
                                .isZero());
        io.restassured.RestAssured.given()
                .get("/q/health/group/outbox")
                .then()
                .statusCode(503)
                .body("checks[0].data.quarantined", org.hamcrest.Matchers.is(200));
        await().atMost(Duration.ofSeconds(40))
                .untilAsserted(() -> assertThat(io.restassured.RestAssured.given()
                                .get("/q/metrics")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .contains("windlass_outbox_quarantined 200.0"));
        // readiness does not depend on it
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void publishesNothingWhileAnotherReplicaLeads() throws Exception {
        UUID id;
        try (Connection other = dataSource.getConnection();
                Statement statement = other.createStatement()) {
            statement.execute("select pg_advisory_lock(" + RELAY_LOCK + ")");
            id = Api.deploy(RegistryStandIn.LOCAL, null, spec(uniqueApp("leader")));
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> Api.phase(id).equals("PENDING"));
            statement.execute("select pg_advisory_unlock(" + RELAY_LOCK + ")");
        }
        Api.awaitPhase(id, "PROGRESSING");
    }
}
