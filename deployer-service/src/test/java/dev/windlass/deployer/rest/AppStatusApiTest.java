package dev.windlass.deployer.rest;

import static dev.windlass.deployer.testing.Api.as;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.windlass.deployer.kubernetes.WindlassLabels;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestSpecs;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeletStandIn;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/apps/{orchestrator}/{namespace}/{app}/status} on a real deploy: Healthy and in sync once rolled out,
 * out of sync naming the field after a change by hand, Degraded with the Pod's reason when a Pod of the app
 * crash-loops, scoped like every read, not found once undeployed.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class AppStatusApiTest {

    @TestHTTPResource("/")
    URL base;

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final String PATH = "/api/apps/{o}/{n}/{a}/status";
    private static final String LOG = "/api/apps/{o}/{n}/{a}/pods/{p}/log";
    private static final String EVENTS = "/api/apps/{o}/{n}/{a}/events";

    @Test
    void aRolledOutAppIsHealthyAndInSyncThenOutOfSyncThenDegradedAndNotFoundOnceUndeployed() {
        String app = uniqueApp("status");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(id, NS, app);

        as(DevUser.VIEWER)
                .get(PATH, RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .body("revision", equalTo(1))
                .body("health.status", equalTo("Healthy"))
                .body("sync.status", equalTo("InSync"))
                .body("sync.objects", empty())
                .body("objects.find { it.kind == 'Deployment' }.health.status", equalTo("Healthy"))
                .body("objects.find { it.kind == 'Secret' }.health", equalTo(null))
                .body("objects.kind", hasItem("Service"))
                .body(not(containsString(TestSpecs.SECRET_VALUE)));

        // someone scales the app by hand: the status says which object and field no longer match the revision
        Kubelet.scaleByHand(NS, app, 3);
        as(DevUser.VIEWER)
                .get(PATH, RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .body("sync.status", equalTo("OutOfSync"))
                .body("sync.objects.kind", contains("Deployment"))
                .body("sync.objects[0].fields", contains(".spec.replicas"))
                .body(not(containsString(TestSpecs.SECRET_VALUE)));

        // a container's waiting message may quote what it was given: the status masks the app's secret values
        Kubelet.crashLoopingPod(NS, app, "back-off 40s restarting failed container, it said " + TestSpecs.SECRET_VALUE);

        as(DevUser.VIEWER)
                .get(PATH, RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(200)
                .body("health.status", equalTo("Degraded"))
                .body("health.message", containsString("Pod " + app + "-5c7d-x: app: CrashLoopBackOff"))
                .body("health.message", containsString("it said ****"))
                .body(not(containsString(TestSpecs.SECRET_VALUE)))
                .body("objects.find { it.kind == 'Deployment' }.children[0].kind", equalTo("ReplicaSet"))
                .body(
                        "objects.find { it.kind == 'Deployment' }.children[0].children[0].details.restarts",
                        equalTo("3"));

        Api.awaitPhase(Api.undeploy(RegistryStandIn.LOCAL, NS, app), "DELETED");
        DevStack.kube()
                .adminClient()
                .pods()
                .inNamespace(NS)
                .withName(app + "-5c7d-x")
                .delete();
        as(DevUser.VIEWER)
                .get(PATH, RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("app " + NS + "/" + app + " on local was undeployed"));
    }

    @Test
    void anAppNeverDeployedIsNotFoundAndAnotherTeamsNamespaceIsForbidden() {
        String app = uniqueApp("status");
        as(DevUser.VIEWER)
                .get(PATH, RegistryStandIn.LOCAL, NS, app)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("app " + NS + "/" + app + " on local was never deployed"));
        String teamY = DevStack.oidc()
                .accessToken("team-y-viewer", List.of("windlass-viewers", RegistryStandIn.OTHER_TEAM_GROUP));
        as(teamY)
                .get(PATH, RegistryStandIn.SHARED, "team-x-web", app)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("namespace 'team-x-web' is not a destination of your groups on orchestrator"
                                + " 'shared'"));
        as(DevUser.VIEWER).get(PATH, RegistryStandIn.LOCAL, NS, app).then().statusCode(404);
        // an orchestrator nobody has, or a name no orchestrator can have: not found, for admins too
        for (DevUser user : List.of(DevUser.VIEWER, DevUser.ADMIN)) {
            as(user).get(PATH, "no-such-orchestrator", NS, app)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("no orchestrator is named 'no-such-orchestrator'"));
            as(user).get(PATH, "<x>%v';--", NS, app).then().statusCode(404);
        }
        given().get(PATH, RegistryStandIn.LOCAL, NS, app).then().statusCode(401);
    }

    @Test
    void aPodsLogAndEventsAreReadThroughTheApiServerWithSecretValuesMaskedAndBadInputRefused() {
        String app = uniqueApp("logs");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(id, NS, app);
        KubernetesClient admin = DevStack.kube().adminClient();
        try (KubeletStandIn kubelet = KubeletStandIn.start(admin, "kubelet-" + app)) {
            String pod = app + "-5c7d-l";
            Kubelet.pod(admin, NS, pod, WindlassLabels.of(app, 1), app, kubelet.nodeName(), b -> b);
            kubelet.logs(NS, pod, app, false, List.of("boot", "db password is " + TestSpecs.SECRET_VALUE, "crashed"));

            as(DevUser.VIEWER)
                    .get(LOG, RegistryStandIn.LOCAL, NS, app, pod)
                    .then()
                    .statusCode(200)
                    .contentType(startsWith("text/plain"))
                    .body(equalTo("boot\ndb password is ****\ncrashed\n"));
            as(DevUser.VIEWER)
                    .queryParam("tailLines", 1)
                    .get(LOG, RegistryStandIn.LOCAL, NS, app, pod)
                    .then()
                    .statusCode(200)
                    .body(equalTo("crashed\n"));
            as(DevUser.VIEWER)
                    .queryParam("tailLines", 0)
                    .get(LOG, RegistryStandIn.LOCAL, NS, app, pod)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].path", equalTo("tailLines"));
            as(DevUser.VIEWER)
                    .get(LOG, RegistryStandIn.LOCAL, NS, app, "kube-proxy-x")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("app " + app + " has no pod kube-proxy-x in " + NS));
            String teamY = DevStack.oidc()
                    .accessToken("team-y-viewer", List.of("windlass-viewers", RegistryStandIn.OTHER_TEAM_GROUP));
            as(teamY)
                    .get(LOG, RegistryStandIn.SHARED, "team-x-web", app, pod)
                    .then()
                    .statusCode(403);

            // and the Kubernetes events about the Pod, as the kubelet records them
            admin.v1()
                    .events()
                    .inNamespace(NS)
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(pod + ".backoff")
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withKind("Pod")
                            .withName(pod)
                            .withNamespace(NS)
                            .endInvolvedObject()
                            .withType("Warning")
                            .withReason("BackOff")
                            .withMessage("Back-off restarting failed container " + app)
                            .withCount(4)
                            .withFirstTimestamp("2026-12-06T05:00:00Z")
                            .withLastTimestamp("2026-12-06T05:02:00Z")
                            .build())
                    .create();
            as(DevUser.VIEWER)
                    .get(EVENTS, RegistryStandIn.LOCAL, NS, app)
                    .then()
                    .statusCode(200)
                    .body("[0].type", equalTo("Warning"))
                    .body("[0].reason", equalTo("BackOff"))
                    .body("[0].object.kind", equalTo("Pod"))
                    .body("[0].object.name", equalTo(pod))
                    .body("[0].count", equalTo(4));
            as(DevUser.VIEWER)
                    .queryParam("limit", 0)
                    .get(EVENTS, RegistryStandIn.LOCAL, NS, app)
                    .then()
                    .statusCode(400)
                    .body("violations[0].path", equalTo("limit"));
            as(teamY)
                    .get(EVENTS, RegistryStandIn.SHARED, "team-x-web", app)
                    .then()
                    .statusCode(403);
            admin.pods().inNamespace(NS).withName(pod).delete();
        }
    }

    /** A Pod of the app's ReplicaSet whose container crash-loops, as the kubelet would report it. */
    @Test
    void theStatusStreamSendsTheStatusNowThenAgainWhenAPodOfTheAppChangesAndEndsOnUndeploy() throws Exception {
        HttpResponse<Stream<String>> never = openStatusStream(uniqueApp("never"));
        assertThat(never.statusCode()).as("refused before the stream exists").isEqualTo(404);
        assertThat(never.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        never.body().close();

        String app = uniqueApp("followed");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(id, NS, app);

        HttpResponse<Stream<String>> stream = openStatusStream(app);
        assertThat(stream.statusCode()).isEqualTo(200);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try (Stream<String> lines = stream.body()) {
                lines.filter(line -> line.startsWith("data:")).forEach(events::add);
            }
        });
        String now = events.poll(20, TimeUnit.SECONDS);
        assertThat(now).as("the status now, first").contains("\"Healthy\"").doesNotContain("Degraded");

        Kubelet.crashLoopingPod(NS, app);

        String changed = events.poll(10, TimeUnit.SECONDS);
        assertThat(changed)
                .as("sent when the app's Pod appeared, without asking")
                .contains("\"Degraded\"")
                .contains("CrashLoopBackOff")
                .doesNotContain(TestSpecs.SECRET_VALUE);

        Api.awaitPhase(Api.undeploy(RegistryStandIn.LOCAL, NS, app), "DELETED");
        ended.get(10, TimeUnit.SECONDS);
        DevStack.kube()
                .adminClient()
                .pods()
                .inNamespace(NS)
                .withName(app + "-5c7d-x")
                .delete();
    }

    private HttpResponse<Stream<String>> openStatusStream(String app) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        base + "api/apps/" + RegistryStandIn.LOCAL + "/" + NS + "/" + app + "/status/stream"))
                .header("Authorization", "Bearer " + Api.token(DevUser.VIEWER))
                .header("Accept", "text/event-stream")
                .build();
        return HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS);
    }
}
