package dev.windlass.deployer.health;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deploy pipeline's figures at {@code /q/metrics}, as a scraper reads them, after a deploy and an undeploy through
 * the whole pipeline on the dev-stack API server: deploys by outcome, latency histograms, Kubernetes requests by
 * status, the outbox's backlog and quarantine, the Kafka consumer's lag.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class MetricsTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;

    @Test
    void aDeployAndAnUndeployAreCountedTimedAndTheirRequestsToTheApiServerCounted() {
        double succeeded = value("windlass_deploys_total{action=\"APPLY\",outcome=\"SUCCEEDED\"}");
        double deleted = value("windlass_deploys_total{action=\"DELETE\",outcome=\"DELETED\"}");
        double patches = value("windlass_kubernetes_requests_total{method=\"PATCH\",status=\"200\"}")
                + value("windlass_kubernetes_requests_total{method=\"PATCH\",status=\"201\"}");

        String app = uniqueApp("metered");
        UUID deploy = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(deploy, NS, app);
        // the namespace object cache holds the app's objects while it is deployed (its Deployment and Service at least)
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() ->
                        assertThat(value("windlass_kubernetes_cache_objects")).isGreaterThanOrEqualTo(2));
        Api.awaitPhase(Api.undeploy(RegistryStandIn.LOCAL, NS, app), "DELETED");

        assertThat(value("windlass_deploys_total{action=\"APPLY\",outcome=\"SUCCEEDED\"}"))
                .isEqualTo(succeeded + 1);
        assertThat(value("windlass_deploys_total{action=\"DELETE\",outcome=\"DELETED\"}"))
                .isEqualTo(deleted + 1);
        // every object of the app was server-side applied: one PATCH each
        assertThat(value("windlass_kubernetes_requests_total{method=\"PATCH\",status=\"200\"}")
                        + value("windlass_kubernetes_requests_total{method=\"PATCH\",status=\"201\"}"))
                .isGreaterThanOrEqualTo(patches + 2);

        String metrics = scrape();
        assertThat(metrics)
                .containsPattern("windlass_deploy_since_request_seconds_bucket\\{action=\"APPLY\","
                        + "phase=\"PROGRESSING\",le=\"[0-9.]+\"} ")
                .contains("windlass_deploy_since_request_seconds_count{action=\"APPLY\",phase=\"SUCCEEDED\"}")
                .contains("windlass_deploy_phase_seconds_count{action=\"APPLY\",from=\"APPLYING\","
                        + "to=\"PROGRESSING\"}")
                .contains("windlass_outbox_quarantined ")
                .contains("windlass_kubernetes_requests_total{method=\"GET\",status=\"404\"}");
        assertThat(value("windlass_deploy_since_request_seconds_count{action=\"APPLY\",phase=\"PROGRESSING\"}"))
                .isGreaterThanOrEqualTo(1);
        // the relay published everything: nothing waits in the outbox once the backlog has been read again
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(value("windlass_outbox_backlog")).isZero());
        assertThat(metrics).contains("windlass_outbox_oldest_age_seconds ");
        scrape().lines()
                .filter(l -> l.contains("cache") || l.contains("outbox_backlog"))
                .forEach(l -> System.out.println("SCRAPE " + l));
        // the namespace object cache still holds the app's namespace, its objects deleted
        assertThat(value("windlass_kubernetes_cache_namespaces")).isGreaterThanOrEqualTo(1);
        // the Kafka clients' metrics, the request consumer's lag among them
        assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag");
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, 0 when it is not there yet. */
    private static double value(String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
