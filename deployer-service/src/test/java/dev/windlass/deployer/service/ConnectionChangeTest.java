package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.FreePorts;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator's connection material changes while a deployment is under way (the registry announces it, which
 * drops the deployer's cached copy): what is still retrying, or still following a rollout, goes on with the new
 * material instead of spending its retry budget, or failing, on the old.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class ConnectionChangeTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final List<String> GROUPS = List.of("windlass-deployers", "windlass-viewers");
    /** Well inside the cluster layer's retry budget (2 minutes), which an apply on the old material would spend. */
    private static final Duration SOON = Duration.ofSeconds(30);

    @Test
    void anApplyRetryingAgainstAnApiServerThatMovedUsesTheNewAddress() {
        String name = uniqueApp("moved");
        ClusterConnection live = RegistryStandIn.admin(DevStack.kube(), name, "K8S", null, NS, GROUPS);
        RegistryStandIn registry = RegistryStandIn.current();
        // nothing listens at the old address: every attempt is refused, a transient failure retried with backoff
        registry.put(with(live, "https://127.0.0.1:" + FreePorts.pick(), null, 1));
        String app = uniqueApp("moving");

        UUID id = Api.deploy(name, NS, spec(app));
        await("a retry against the old address")
                .atMost(SOON)
                .until(() -> String.valueOf(Api.get(id).then().extract().<String>path("message"))
                        .contains("retrying"));

        registry.put(with(live, live.apiServerUrl(), null, 2));
        changed(name, live.id());

        await("applied at the new address").atMost(SOON).until(() -> "PROGRESSING".equals(Api.phase(id)));
        Kubelet.rollOut(NS, app);
        Api.awaitPhase(id, "SUCCEEDED");
    }

    @Test
    void aRolloutFollowedWithCredentialsThatWereReplacedAndRevokedGoesOnWithTheNewOnes() {
        KubeApiServer kube = DevStack.kube();
        String ns = "rotation";
        String name = uniqueApp("rotated");
        var everything = List.of(new PolicyRuleBuilder()
                .withApiGroups("*")
                .withResources("*")
                .withVerbs("*")
                .build());
        String oldToken = kube.serviceAccountToken(ns, "windlass-old", everything);
        String newToken = kube.serviceAccountToken(ns, "windlass-new", everything);
        ClusterConnection admin = RegistryStandIn.admin(kube, name, "K8S", null, ns, GROUPS);
        RegistryStandIn registry = RegistryStandIn.current();
        registry.put(with(admin, admin.apiServerUrl(), oldToken, 1));
        String app = uniqueApp("rotating");

        UUID id = Api.deploy(name, ns, spec(app));
        Api.awaitPhase(id, "PROGRESSING");

        // the token is replaced in the registry, then revoked: the rollout is still being followed with it
        registry.put(with(admin, admin.apiServerUrl(), newToken, 2));
        kube.adminClient()
                .serviceAccounts()
                .inNamespace(ns)
                .withName("windlass-old")
                .delete();
        // the API server keeps a token it accepted for a few seconds: wait until the old one is refused
        try (KubernetesClient old = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(kube.url())
                        .withOauthToken(oldToken)
                        .withTrustCerts(true)
                        .build())
                .build()) {
            await("the old token refused")
                    .atMost(SOON)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try {
                            old.apps().deployments().inNamespace(ns).list();
                            return false;
                        } catch (KubernetesClientException e) {
                            return e.getCode() == 401;
                        }
                    });
        }
        changed(name, admin.id());

        Kubelet.rollOut(ns, app);
        Api.awaitPhase(id, "SUCCEEDED");
        assertThat(String.valueOf(Api.get(id).then().extract().<String>path("message")))
                .doesNotContain("Unauthorized");
    }

    /** What the registry's orchestrator event does in the deployer. */
    private static void changed(String name, UUID id) {
        Arc.container().instance(ConnectionCache.class).get().forget(name, id);
    }

    /** {@code c} at {@code url}, signed in with {@code token} (its certificate when null), at {@code version}. */
    private static ClusterConnection with(ClusterConnection c, String url, String token, long version) {
        return new ClusterConnection(
                c.id(),
                c.name(),
                c.type(),
                c.environment(),
                url,
                token == null ? c.authType() : "TOKEN",
                token,
                token == null ? c.clientCertificatePem() : null,
                token == null ? c.clientKeyPem() : null,
                c.caCertificatePem(),
                c.skipTlsVerify(),
                c.metalLbIpRange(),
                c.defaultNamespace(),
                c.allowedGroups(),
                version,
                c.destinations(),
                null);
    }
}
