package dev.windlass.registry.service;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.devstack.Crds;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.FreePorts;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.KubeRules;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.TestPki;
import dev.windlass.registry.support.Tokens;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection tests against the dev stack's real kube-apiserver (RBAC, TLS, ServiceAccount tokens). */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class ConnectionCheckTest {

    static final String NAMESPACE = "windlass-check";

    static KubeApiServer kube;
    static String deployerToken;
    static String powerlessToken;

    @BeforeAll
    static void cluster() {
        kube = DevStack.kube();
        deployerToken = kube.serviceAccountToken(NAMESPACE, "windlass-deployer", KubeRules.deployer());
        powerlessToken = kube.serviceAccountToken(NAMESPACE, "powerless", List.of());
    }

    static Map<String, Object> body(String authType) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", uniqueName("kube"));
        body.put("environment", "staging");
        body.put("type", "K8S");
        body.put("apiServerUrl", kube.url());
        body.put("authType", authType);
        body.put("defaultNamespace", NAMESPACE);
        return body;
    }

    static Map<String, Object> tokenBody(String token) {
        Map<String, Object> body = body("TOKEN");
        body.put("token", token);
        body.put("caCertificatePem", kube.caCertPem());
        return body;
    }

    static JsonPath test(String id) {
        return given().auth()
                .oauth2(Tokens.admin())
                .post("/api/orchestrators/" + id + "/test-connection")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    static JsonPath stored(String id) {
        return given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aServiceAccountTokenWithTheNeededRoleConnects() {
        String id = createId(tokenBody(deployerToken));

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("CONNECTED");
        assertThat(result.getString("serverVersion")).isEqualTo("v1.20.2");
        assertThat(result.getLong("latencyMillis")).isNotNegative();
        assertThat(result.getString("message")).startsWith("Connected to Kubernetes v1.20.2 at 127.0.0.1:");
        assertThat(result.getString("checkedAt")).isNotBlank();
        JsonPath orchestrator = stored(id);
        assertThat(orchestrator.getString("connection.status")).isEqualTo("CONNECTED");
        assertThat(orchestrator.getString("connection.serverVersion")).isEqualTo("v1.20.2");
        assertThat(orchestrator.getInt("version"))
                .as("a check does not change the ETag")
                .isZero();
    }

    @Test
    void aClusterServingTraefikMiddlewaresWarnsCredentialsThatMayNotManageThem() {
        List<PolicyRule> withoutTraefik = KubeRules.deployer().stream()
                .filter(rule -> !rule.getApiGroups().contains("traefik.io"))
                .toList();
        String blindToken = kube.serviceAccountToken(NAMESPACE, "traefik-blind", withoutTraefik);
        String blind = createId(tokenBody(blindToken));
        String able = createId(tokenBody(deployerToken));
        assertThat(test(blind).getList("warnings", String.class))
                .as("a cluster without Traefik asks nothing of Middlewares")
                .noneMatch(w -> w.contains("Traefik"));

        Crds.TRAEFIK.install(kube.adminClient());
        try {
            JsonPath result = test(blind);
            assertThat(result.getString("status")).isEqualTo("CONNECTED");
            assertThat(result.getList("warnings", String.class)).contains(RequiredPermissions.TRAEFIK_WARNING);
            assertThat(test(able).getList("warnings", String.class)).noneMatch(w -> w.contains("Traefik"));
        } finally {
            Crds.TRAEFIK.remove(kube.adminClient());
        }
    }

    @Test
    void credentialsThatMayNotWatchTheAppliedKindsAreConnectedWithOneWarning() {
        // no watch on services, secrets, persistentvolumeclaims, ingresses and networkpolicies (Deployments and pods
        // keep theirs)
        List<PolicyRule> withoutWatch = KubeRules.deployer().stream()
                .map(rule -> rule.getResources().contains("deployments")
                                || rule.getResources().contains("pods")
                        ? rule
                        : withoutWatch(rule))
                .toList();
        // watch on all of them but networkpolicies
        List<PolicyRule> partly = new ArrayList<>();
        for (PolicyRule rule : KubeRules.deployer()) {
            if (rule.getResources().contains("networkpolicies")) {
                partly.add(
                        new PolicyRuleBuilder(rule).withResources("ingresses").build());
                partly.add(withoutWatch(new PolicyRuleBuilder(rule)
                        .withResources("networkpolicies")
                        .build()));
            } else {
                partly.add(rule);
            }
        }

        for (String token : List.of(
                kube.serviceAccountToken(NAMESPACE, "watch-blind", withoutWatch),
                kube.serviceAccountToken(NAMESPACE, "watch-partly", partly))) {
            JsonPath result = test(createId(tokenBody(token)));

            assertThat(result.getString("status")).isEqualTo("CONNECTED");
            assertThat(result.getList("warnings", String.class))
                    .as("one warning for the five rights")
                    .filteredOn(RequiredPermissions.WATCH_WARNING::equals)
                    .hasSize(1);
            assertThat(result.getString("message")).contains("; warning: " + RequiredPermissions.WATCH_WARNING);
        }
        assertThat(test(createId(tokenBody(deployerToken))).getList("warnings", String.class))
                .doesNotContain(RequiredPermissions.WATCH_WARNING);
    }

    private static PolicyRule withoutWatch(PolicyRule rule) {
        return new PolicyRuleBuilder(rule)
                .withVerbs(rule.getVerbs().stream()
                        .filter(verb -> !verb.equals("watch"))
                        .toList())
                .build();
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        String id = createId(tokenBody("not-a-valid-token"));

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("UNAUTHORIZED");
        assertThat(result.getString("message")).contains("rejected the credentials (HTTP 401");
        assertThat(result.getString("serverVersion")).isNull();
    }

    @Test
    void aTokenWithoutRightsIsForbiddenNamingWhatIsMissing() {
        String id = createId(tokenBody(powerlessToken));

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("FORBIDDEN");
        assertThat(result.getString("message"))
                .startsWith("Authenticated to 127.0.0.1:")
                .contains("missing permissions in namespace '" + NAMESPACE + "'")
                .contains("deployments.apps [get, list, watch, create, patch, delete]")
                .contains("secrets [get, list, create, patch, delete]")
                .contains("ingresses.networking.k8s.io [")
                .contains("namespaces [get]");
        assertThat(result.getString("serverVersion")).isEqualTo("v1.20.2");
    }

    @Test
    void aTrustedClientCertificateConnects() {
        Map<String, Object> body = body("CERTIFICATE");
        body.put("clientCertificatePem", kube.adminClientCertPem());
        body.put("clientKeyPem", kube.adminClientKeyPem());
        body.put("caCertificatePem", kube.caCertPem());
        String id = createId(body);

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("CONNECTED");
        assertThat(result.getString("serverVersion")).isEqualTo("v1.20.2");
    }

    @Test
    void aWrongCaIsATlsError() {
        Map<String, Object> body = tokenBody(deployerToken);
        body.put("caCertificatePem", TestPki.selfSignedRsa("Some Other CA").certificatePem());
        String id = createId(body);

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("TLS_ERROR");
        assertThat(result.getString("message"))
                .startsWith("TLS error with the API server at 127.0.0.1:")
                .contains("not signed by a trusted CA");
    }

    @Test
    void skipTlsVerifyConnectsWithoutTheCa() {
        Map<String, Object> body = tokenBody(deployerToken);
        body.remove("caCertificatePem");
        body.put("skipTlsVerify", true);
        String id = createId(body);

        assertThat(test(id).getString("status")).isEqualTo("CONNECTED");
    }

    @Test
    void withoutCaNorSkipTheClusterCertificateIsNotTrusted() {
        Map<String, Object> body = tokenBody(deployerToken);
        body.remove("caCertificatePem");
        String id = createId(body);

        assertThat(test(id).getString("status")).isEqualTo("TLS_ERROR");
    }

    @Test
    void aClosedPortIsUnreachableWithinTheTimeout() {
        Map<String, Object> body = tokenBody(deployerToken);
        body.put("apiServerUrl", "https://127.0.0.1:" + FreePorts.pick());
        String id = createId(body);

        long start = System.nanoTime();
        JsonPath result = test(id);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.getString("status")).isEqualTo("UNREACHABLE");
        assertThat(result.getString("message")).startsWith("No Kubernetes API server answered at 127.0.0.1:");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theCheckDoesNotTellWhichHostsAndPortsAnswer() throws Exception {
        // a closed port, a port where something that is not Kubernetes answers, a host name that does not resolve:
        // the caller learns the same thing about each (the network detail is in the registry's log only)
        try (java.net.ServerSocket notKubernetes = new java.net.ServerSocket(0)) {
            Thread answering = new Thread(() -> {
                while (!notKubernetes.isClosed()) {
                    try (java.net.Socket socket = notKubernetes.accept()) {
                        socket.getOutputStream()
                                .write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            Map<String, String> targets = Map.of(
                    "127.0.0.1:" + FreePorts.pick(),
                    "closed port",
                    "127.0.0.1:" + notKubernetes.getLocalPort(),
                    "open port, not Kubernetes",
                    "nothing-answers.invalid:6443",
                    "unknown host");
            for (String target : targets.keySet()) {
                Map<String, Object> body = tokenBody(deployerToken);
                body.put("apiServerUrl", "https://" + target);

                JsonPath result = test(createId(body));

                assertThat(result.getString("status")).as(targets.get(target)).isEqualTo("UNREACHABLE");
                assertThat(result.getString("message"))
                        .as(targets.get(target))
                        .isEqualTo(ConnectionProbe.unreachable(target));
            }
        }
    }

    @Test
    void inClusterOutsideAPodIsUnreachable() {
        Map<String, Object> body = body("IN_CLUSTER");
        body.remove("apiServerUrl");
        String id = createId(body);

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("UNREACHABLE");
        assertThat(result.getString("message")).contains("run in a Kubernetes pod");
    }

    @Test
    void thePeriodicRecheckKeepsTheStatusFresh() {
        var created = Orchestrators.create(tokenBody(deployerToken));
        assertThat(created.jsonPath().getString("connection.status")).isEqualTo("UNKNOWN");
        String id = created.path("id");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(stored(id).getString("connection.status")).isEqualTo("CONNECTED"));

        JsonPath audit = given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators/" + id + "/audit")
                .then()
                .extract()
                .jsonPath();
        assertThat(audit.getList("items.action", String.class)).containsExactly("CONNECTION_CHANGED", "CREATED");
        assertThat(audit.getString("items[0].subject")).isEqualTo("system:registry-service");
        assertThat(audit.getString("items[0].details")).startsWith("UNKNOWN -> CONNECTED");
    }
}
