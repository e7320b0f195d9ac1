package dev.windlass.registry.service;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Tokens;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rights the connection check asks for are the documented ones, and no more: the ClusterRole in
 * docs/kubernetes-objects.md lists exactly {@link RequiredPermissions}, and credentials made by following the docs
 * (that ClusterRole bound to a ServiceAccount) are CONNECTED without a warning about their rights on the dev-stack API server, while
 * cluster-admin credentials are CONNECTED with an over-privilege warning.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class DocumentedRbacTest {

    private static final Path DOC = Path.of("..", "docs", "kubernetes-objects.md");
    private static final String NAMESPACE = "windlass-documented-rbac";

    @Test
    void theDocumentedClusterRoleListsExactlyWhatTheCheckAsksFor() throws IOException {
        Map<String, List<String>> documented = new TreeMap<>();
        for (PolicyRule rule : documentedRole().getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    documented
                            .computeIfAbsent(qualified(group, resource), k -> new ArrayList<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        Map<String, List<String>> asked = new TreeMap<>();
        List<RequiredPermissions.Need> needs = new ArrayList<>(RequiredPermissions.NEEDS);
        needs.addAll(RequiredPermissions.OPTIONAL.keySet());
        needs.addAll(RequiredPermissions.METALLB);
        needs.add(RequiredPermissions.TRAEFIK_MIDDLEWARES);
        for (RequiredPermissions.Need need : needs) {
            asked.computeIfAbsent(need.qualifiedResource(), k -> new ArrayList<>())
                    .addAll(need.verbs());
        }
        documented.replaceAll((resource, verbs) -> verbs.stream().sorted().toList());
        asked.replaceAll((resource, verbs) -> verbs.stream().sorted().toList());

        assertThat(documented).isEqualTo(asked);
    }

    @Test
    void credentialsMadeByFollowingTheDocsAreConnectedWithoutAWarningAboutTheirRights() throws IOException {
        KubeApiServer kube = DevStack.kube();
        KubernetesClient admin = kube.adminClient();
        kube.ensureNamespace(NAMESPACE);
        ClusterRole role = documentedRole();
        admin.rbac().clusterRoles().resource(role).serverSideApply();
        admin.serviceAccounts()
                .inNamespace(NAMESPACE)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("windlass-deployer")
                        .endMetadata()
                        .build())
                .serverSideApply();
        admin.rbac()
                .clusterRoleBindings()
                .resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName("windlass-deployer-documented")
                        .endMetadata()
                        .withNewRoleRef(
                                "rbac.authorization.k8s.io",
                                "ClusterRole",
                                role.getMetadata().getName())
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("windlass-deployer")
                        .withNamespace(NAMESPACE)
                        .endSubject()
                        .build())
                .serverSideApply();
        String token = kube.token(NAMESPACE, "windlass-deployer");

        Map<String, Object> body = body("K8S");
        body.put("authType", "TOKEN");
        body.put("token", token);
        JsonPath result = test(createId(body));

        assertThat(result.getString("status")).isEqualTo("CONNECTED");
        // the only warning is the test token's one-hour lifetime: no over-privilege, no missing right
        assertThat(result.getList("warnings", String.class))
                .allSatisfy(warning -> assertThat(warning).startsWith("the token expires at"));
    }

    @Test
    void clusterAdminCredentialsAreConnectedWithAnOverPrivilegeWarning() {
        KubeApiServer kube = DevStack.kube();
        kube.ensureNamespace(NAMESPACE);
        Map<String, Object> body = body("K8S");
        body.put("authType", "CERTIFICATE");
        body.put("clientCertificatePem", kube.adminClientCertPem());
        body.put("clientKeyPem", kube.adminClientKeyPem());

        JsonPath result = test(createId(body));

        assertThat(result.getString("status")).isEqualTo("CONNECTED");
        assertThat(result.getList("warnings", String.class))
                .singleElement()
                .asString()
                .startsWith("over-privileged: in namespace '" + NAMESPACE + "' these credentials hold verbs [*]")
                .contains("far more than Windlass uses");
        assertThat(result.getString("message")).contains("; warning: over-privileged");
    }

    private static Map<String, Object> body(String type) {
        KubeApiServer kube = DevStack.kube();
        Map<String, Object> body = new HashMap<>();
        body.put("name", uniqueName("rbac"));
        body.put("environment", "staging");
        body.put("type", type);
        body.put("apiServerUrl", kube.url());
        body.put("caCertificatePem", kube.caCertPem());
        body.put("defaultNamespace", NAMESPACE);
        return body;
    }

    private static JsonPath test(String id) {
        return given().auth()
                .oauth2(Tokens.admin())
                .post("/api/orchestrators/" + id + "/test-connection")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The ClusterRole of the section "RBAC Windlass needs on a target cluster", as the docs show it. */
    static ClusterRole documentedRole() throws IOException {
        String doc = Files.readString(DOC);
        int section = doc.indexOf("## RBAC Windlass needs on a target cluster");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = doc.indexOf("```", start);
        assertThat(section).as("the RBAC section of %s", DOC).isNotNegative();
        return Serialization.unmarshal(doc.substring(start, end), ClusterRole.class);
    }

    private static String qualified(String group, String resource) {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
