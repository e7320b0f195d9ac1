package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.Api.as;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.windlass.deployer.service.SelfHeal.Outcome;
import dev.windlass.deployer.service.SelfHeal.Result;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Self-heal on a real cluster: an app whose revision asks for it is put back after someone scales it by hand — a new
 * revision by the self-heal actor, rolled out by the usual pipeline — once, not again within the minimum interval;
 * an app without it stays out of sync.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class SelfHealTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String STATUS = "/api/apps/{o}/{n}/{a}/status";
    private static final String REVISIONS = "/api/apps/{o}/{n}/{a}/revisions";

    @Inject
    SelfHeal selfHeal;

    @Test
    void aDriftedAppWithSelfHealIsPutBackOnceAndOneWithoutIsLeftAlone() {
        String healed = uniqueApp("heal");
        String left = uniqueApp("left");
        Api.awaitRolledOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(healed).withSelfHeal(true)), NS, healed);
        Api.awaitRolledOut(Api.deploy(RegistryStandIn.LOCAL, NS, spec(left)), NS, left);

        assertThat(outcome(sweep(), healed)).hasValue(Outcome.IN_SYNC);
        assertThat(outcome(sweep(), left))
                .as("without self-heal, not looked at")
                .isEmpty();

        Kubelet.scaleByHand(NS, healed, 3);
        Kubelet.scaleByHand(NS, left, 3);
        Result heal = result(sweep(), healed).orElseThrow();
        assertThat(heal.outcome()).isEqualTo(Outcome.HEALED);
        assertThat(heal.detail()).contains("Deployment " + healed).contains(".spec.replicas");

        // the heal is a revision like any other: by the self-heal actor, repeating revision 1, rolled out
        Api.awaitRolledOut(heal.deployment(), NS, healed);
        JsonPath revisions = as(DevUser.VIEWER)
                .get(REVISIONS, RegistryStandIn.LOCAL, NS, healed)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(revisions.getInt("[0].revision")).isEqualTo(2);
        assertThat(revisions.getString("[0].action")).isEqualTo("ROLLBACK");
        assertThat(revisions.getInt("[0].rolledBackFrom")).isEqualTo(1);
        assertThat(revisions.getString("[0].requestedBy.subject")).isEqualTo(SelfHeal.ACTOR.subject());
        assertThat(revisions.getString("[0].deploymentId"))
                .isEqualTo(heal.deployment().toString());
        assertThat(replicas(healed)).isEqualTo(1);
        as(DevUser.VIEWER)
                .get(STATUS, RegistryStandIn.LOCAL, NS, healed)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2))
                .body("sync.status", equalTo("InSync"))
                .body("sync.selfHeal", equalTo(true));

        // the app without self-heal is still as the hand left it
        assertThat(replicas(left)).isEqualTo(3);
        as(DevUser.VIEWER)
                .get(STATUS, RegistryStandIn.LOCAL, NS, left)
                .then()
                .statusCode(200)
                .body("sync.status", equalTo("OutOfSync"))
                .body("sync.selfHeal", equalTo(false))
                .body("sync.objects[0].fields", contains(".spec.replicas"));

        // drifted again at once: not healed again within the minimum interval (5 minutes by default)
        Kubelet.scaleByHand(NS, healed, 4);
        assertThat(outcome(sweep(), healed)).hasValue(Outcome.RATE_LIMITED);
        as(DevUser.VIEWER)
                .get(REVISIONS, RegistryStandIn.LOCAL, NS, healed)
                .then()
                .body("revision", contains(2, 1));
    }

    private List<Result> sweep() {
        return selfHeal.sweep().await().atMost(Duration.ofSeconds(60));
    }

    private static Optional<Result> result(List<Result> results, String app) {
        return results.stream().filter(r -> r.app().app().equals(app)).findFirst();
    }

    private static Optional<Outcome> outcome(List<Result> results, String app) {
        return result(results, app).map(Result::outcome);
    }

    private static int replicas(String app) {
        return DevStack.kube()
                .adminClient()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(app)
                .get()
                .getSpec()
                .getReplicas();
    }
}
