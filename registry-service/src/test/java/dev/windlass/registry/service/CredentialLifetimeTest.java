package dev.windlass.registry.service;

import static dev.windlass.registry.service.ConnectionCheckTest.body;
import static dev.windlass.registry.service.ConnectionCheckTest.stored;
import static dev.windlass.registry.service.ConnectionCheckTest.test;
import static dev.windlass.registry.service.ConnectionCheckTest.tokenBody;
import static dev.windlass.registry.support.Orchestrators.createId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.KubeRules;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When credentials stop working, and K3s's own load balancer next to MetalLB, as the connection check reports them. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class CredentialLifetimeTest {

    @org.junit.jupiter.api.BeforeAll
    static void cluster() {
        ConnectionCheckTest.kube = DevStack.kube();
    }

    @Test
    void aTokenThatExpiresWithinAWeekConnectsWithAWarningAndItsExpiry() {
        KubeApiServer kube = DevStack.kube();
        // a TokenRequest token, as `kubectl create token` issues it: a JWT valid for one hour
        String token = kube.serviceAccountToken(ConnectionCheckTest.NAMESPACE, "short-lived", KubeRules.deployer());
        String id = createId(tokenBody(token));

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("CONNECTED");
        Instant expires = Instant.parse(result.getString("credentialsExpireAt"));
        assertThat(expires)
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(50)),
                        Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(result.getString("message"))
                .contains("; warning: the token expires at " + expires)
                .contains("renew it before then");
        assertThat(stored(id).getString("connection.credentialsExpireAt"))
                .isEqualTo(result.getString("credentialsExpireAt"));
    }

    @Test
    void anExpiredTokenIsUnauthorizedSayingWhenItExpired() {
        String expired = jwt("{\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"exp\":1700000000}");
        String id = createId(tokenBody(expired));

        JsonPath result = test(id);

        assertThat(result.getString("status")).isEqualTo("UNAUTHORIZED");
        assertThat(result.getString("message")).startsWith("The token expired at 2023-11-14T22:13:20Z;");
        assertThat(result.getString("credentialsExpireAt")).isEqualTo("2023-11-14T22:13:20Z");
    }

    @Test
    void aK3sClusterWithMetalLbWhoseServiceLbStillRunsIsConnectedWithAWarning() {
        KubeApiServer kube = DevStack.kube();
        Map<String, Object> body = body("CERTIFICATE");
        body.put("type", "K3S");
        body.put("metalLbIpRange", "192.168.50.240-192.168.50.250");
        body.put("clientCertificatePem", kube.adminClientCertPem());
        body.put("clientKeyPem", kube.adminClientKeyPem());
        body.put("caCertificatePem", kube.caCertPem());
        String id = createId(body);
        assertThat(test(id).getString("message")).doesNotContain("ServiceLB");

        // what k3s's service load balancer runs for a LoadBalancer Service (here without a kubelet to run it)
        Pod svclb = kube.adminClient()
                .pods()
                .inNamespace("kube-system")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("svclb-traefik-abcde")
                        .addToLabels(ServiceLbCheck.LABEL, "traefik")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("lb-tcp-80")
                        .withImage("rancher/klipper-lb:v0.4.9")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        try {
            JsonPath result = test(id);

            assertThat(result.getString("status")).isEqualTo("CONNECTED");
            assertThat(result.getString("message"))
                    .contains("; warning: K3s's ServiceLB (klipper-lb) runs here (1 pod(s), e.g."
                            + " kube-system/svclb-traefik-abcde)")
                    .contains("--disable servicelb");
        } finally {
            kube.adminClient().resource(svclb).delete();
        }
    }

    @Test
    void anEd25519ClientCertificateConnects() {
        try (KubeApiServer k3s = KubeApiServer.create(dev.windlass.devstack.ClusterShape.K3S)) {
            k3s.start();
            java.util.List<String> issued = k3s.issueEd25519AdminCertificate("ed-admin");
            Map<String, Object> body = body("CERTIFICATE");
            body.put("type", "K3S");
            body.put("apiServerUrl", k3s.url());
            body.put("clientCertificatePem", issued.get(0));
            body.put("clientKeyPem", issued.get(1));
            body.put("caCertificatePem", k3s.caCertPem());
            String id = createId(body);

            JsonPath result = test(id);

            assertThat(result.getString("status"))
                    .as(result.getString("message"))
                    .isEqualTo("CONNECTED");
        }
    }

    private static String jwt(String claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }
}
