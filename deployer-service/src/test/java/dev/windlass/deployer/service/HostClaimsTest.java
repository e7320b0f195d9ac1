package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.Requests;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.deployer.testing.TestSpecs;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.IngressSpec;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.validation.Violation;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An Ingress host belongs to one app per orchestrator: another app asking for it (over HTTP or Kafka) is refused
 * naming the holder, Windlass's own hosts belong to no app, and a host is free again once its app dropped it.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class HostClaimsTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String LOCAL = RegistryStandIn.LOCAL;

    @Test
    void anotherAppCannotTakeAHostOverHttpOrKafka() {
        String host = uniqueApp("shop") + ".example.test";
        String holder = uniqueApp("holder");
        Api.awaitPhase(Api.deploy(LOCAL, NS, withHost(holder, host)), "PROGRESSING");

        // over HTTP: 409 naming the holder; nothing stored
        String thief = uniqueApp("thief");
        Api.as(dev.windlass.devstack.AuthentikIssuer.DevUser.DEPLOYER)
                .contentType(ContentType.JSON)
                .body(Api.body(LOCAL, NS, withHost(thief, host)))
                .post("/api/deployments")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", is("urn:windlass:problem:host-claimed"))
                .body("detail", containsString(NS + "/" + holder))
                .body("violations[0].path", is("spec.ingress.host"));

        // over Kafka: a dead letter naming the holder, the deployment FAILED, no Ingress for the newcomer
        UUID id = UUID.randomUUID();
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/other-team",
                DeploymentRequested.apply(id, LOCAL, NS, withHost(thief, host), new Actor("x", null), Instant.now()));
        Requests.produce(event, Requests.deployerToken());
        Api.awaitPhase(id, "FAILED");
        Api.get(id).then().body("message", containsString("host-claimed"));
        await().untilAsserted(() -> assertThat(reason(event.id()))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.ingress.host", "host-claimed")));
        assertThat(DevStack.kube()
                        .adminClient()
                        .network()
                        .v1()
                        .ingresses()
                        .inNamespace(NS)
                        .withName(thief)
                        .get())
                .isNull();
    }

    @Test
    void windlassesOwnHostsBelongToNoApp() {
        for (String reserved : List.of("windlass.example.test", "auth.example.test")) {
            Api.as(dev.windlass.devstack.AuthentikIssuer.DevUser.DEPLOYER)
                    .contentType(ContentType.JSON)
                    .body(Api.body(LOCAL, NS, withHost(uniqueApp("console"), reserved)))
                    .post("/api/deployments")
                    .then()
                    .statusCode(409)
                    .body("detail", containsString("reserved for Windlass"));
        }
    }

    @Test
    void aHostIsFreeAgainOnceItsAppDroppedItOrWasUndeployed() {
        String host = uniqueApp("moving") + ".example.test";
        String first = uniqueApp("first");
        Api.awaitPhase(Api.deploy(LOCAL, NS, withHost(first, host)), "PROGRESSING");

        // the first app moves to another host: the old one is free
        Api.awaitPhase(Api.deploy(LOCAL, NS, withHost(first, "new-" + host)), "PROGRESSING");
        String second = uniqueApp("second");
        Api.awaitPhase(Api.deploy(LOCAL, NS, withHost(second, host)), "PROGRESSING");

        // the second app is undeployed: its host is free for a third
        Api.awaitPhase(Api.undeploy(LOCAL, NS, second), "DELETED");
        Api.awaitPhase(Api.deploy(LOCAL, NS, withHost(uniqueApp("third"), host)), "PROGRESSING");
    }

    @Test
    void aNamespaceExposesOnlyTheHostsItsDestinationsGiveIt() {
        String shared = RegistryStandIn.SHARED;
        String ns = "team-x-web";
        String teamX =
                DevStack.oidc().accessToken("team-x-dev", List.of("windlass-deployers", RegistryStandIn.TEAM_GROUP));
        String foreign = uniqueApp("pay") + ".team-y.example.test";

        // over HTTP: 403 naming the host, nothing stored
        Api.as(teamX)
                .contentType(ContentType.JSON)
                .body(Api.body(shared, ns, withHost(uniqueApp("web"), foreign)))
                .post("/api/deployments")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        is("host '" + foreign + "' is not one apps in namespace '" + ns + "' on orchestrator 'shared'"
                                + " may use (" + RegistryStandIn.TEAM_HOSTS + ")"));

        // over Kafka: a forbidden dead letter on the host, the deployment FAILED
        UUID id = UUID.randomUUID();
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/team-x",
                DeploymentRequested.apply(
                        id, shared, ns, withHost(uniqueApp("web"), foreign), new Actor("x", null), Instant.now()));
        Requests.produce(event, teamX);
        Api.awaitPhase(id, "FAILED");
        await().untilAsserted(() -> assertThat(reason(event.id()))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.ingress.host", "forbidden")));

        // a host under the team's suffix is accepted; once the suffix changes, a rollback to it fails at intake
        String app = uniqueApp("web");
        String own = app + ".team-x.example.test";
        Api.awaitPhase(Api.deploy(teamX, shared, ns, withHost(app, own)), "PROGRESSING");
        Api.awaitPhase(Api.deploy(teamX, shared, ns, withHost(app, "v2." + own)), "PROGRESSING");
        RegistryStandIn registry = RegistryStandIn.current();
        try {
            registry.setDestinations(
                    shared,
                    List.of(new dev.windlass.common.access.Destination(
                            List.of("team-x-*"), List.of(RegistryStandIn.TEAM_GROUP), List.of("v2." + own))));
            io.quarkus.arc.Arc.container()
                    .instance(ConnectionCache.class)
                    .get()
                    .forget(shared, registry.get(shared).id());
            String rollback = Api.as(teamX)
                    .contentType(ContentType.JSON)
                    .body(java.util.Map.of("revision", 1))
                    .post("/api/apps/{o}/{n}/{a}/rollback", shared, ns, app)
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            Api.awaitPhase(UUID.fromString(rollback), "FAILED");
            Api.get(UUID.fromString(rollback)).then().body("message", containsString("host '" + own + "'"));
        } finally {
            registry.setDestinations(shared, RegistryStandIn.SHARED_DESTINATIONS);
            io.quarkus.arc.Arc.container()
                    .instance(ConnectionCache.class)
                    .get()
                    .forget(shared, registry.get(shared).id());
        }
    }

    private static AppSpec withHost(String app, String host) {
        AppSpec base = TestSpecs.spec(app);
        return new AppSpec(
                base.name(),
                base.image(),
                base.replicas(),
                base.command(),
                base.args(),
                base.env(),
                base.secretEnv(),
                List.of(new PortSpec("http", 8080, PortProtocol.TCP, Exposure.INGRESS, null)),
                IngressSpec.host(host),
                base.resources(),
                base.volumes(),
                base.probes(),
                base.networkPolicy(),
                base.labels(),
                base.annotations());
    }

    private static List<Violation> reason(UUID eventId) {
        return TestKafka.deadLetterReason(eventId);
    }
}
