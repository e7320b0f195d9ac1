package dev.windlass.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator's RBAC allows what docs/operations.md says and nothing more: the rendered rules
 * are compared with the document's table, then applied for real to the test API server and checked
 * with SelfSubjectAccessReviews made with a token of the chart's ServiceAccount (`kubectl auth can-i`
 * as that account).
 */
class RbacTest {

    private static final String RELEASE_NAMESPACE = "rbac-windlass";
    private static final List<String> MANAGED = List.of("rbac-apps-a", "rbac-apps-b");
    private static final String UNMANAGED = "rbac-other";
    private static final String SERVICE_ACCOUNT = "windlass-orchestrator";
    private static final List<String> ALL_VERBS =
            List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

    static KubeApiServer kube;
    static List<HasMetadata> rendered;
    static KubernetesClient orchestrator;

    @BeforeAll
    static void applyTheChartsRbacForReal() {
        kube = DevStack.kube();
        KubernetesClient admin = kube.adminClient();
        kube.ensureNamespace(RELEASE_NAMESPACE);
        MANAGED.forEach(kube::ensureNamespace);
        kube.ensureNamespace(UNMANAGED);

        rendered = ChartFixture.objects(ChartFixture.template(
                RELEASE_NAMESPACE,
                ChartFixture.TEST_KUBE_VERSION,
                List.of(),
                Map.of(
                        "orchestrator.managedNamespaces[0]", MANAGED.get(0),
                        "orchestrator.managedNamespaces[1]", MANAGED.get(1))));
        for (HasMetadata object : rendered) {
            if (object instanceof ServiceAccount
                    || object instanceof ClusterRole
                    || object instanceof ClusterRoleBinding
                    || object instanceof Role
                    || object instanceof RoleBinding) {
                admin.resource(object)
                        .fieldManager("windlass-chart-test")
                        .forceConflicts()
                        .serverSideApply();
            }
        }
        orchestrator = clientWithToken(kube.token(RELEASE_NAMESPACE, SERVICE_ACCOUNT));
    }

    @AfterAll
    static void closeClient() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    @Test
    void renderedRulesMatchTheDocumentedTable() {
        List<List<String>> rows = new ArrayList<>();
        ChartFixture.ofKind(rendered, ClusterRole.class)
                .forEach(role -> role.getRules().forEach(rule -> rows.add(row("cluster", rule))));
        List<Role> roles = ChartFixture.ofKind(rendered, Role.class);
        assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyElementsOf(MANAGED);
        assertThat(roles)
                .allSatisfy(r -> assertThat(r.getRules()).isEqualTo(roles.get(0).getRules()));
        roles.get(0).getRules().forEach(rule -> rows.add(row("each managed namespace", rule)));
        assertThat(ChartFixture.ofKind(rendered, RoleBinding.class))
                .allSatisfy(b -> assertThat(b.getSubjects())
                        .singleElement()
                        .satisfies(s -> assertThat(s.getName() + "@" + s.getNamespace())
                                .isEqualTo(SERVICE_ACCOUNT + "@" + RELEASE_NAMESPACE)));

        assertThat(rows)
                .as("docs/operations.md should list exactly these rows:%n%s", markdown(rows))
                .containsExactlyInAnyOrderElementsOf(documented());
    }

    @Test
    void theNamespacedRulesAreTheDeployersDocumentedRights() throws Exception {
        // docs/kubernetes-objects.md holds the one list of what the deployer uses (the registry's connection check
        // asks for exactly it); the chart grants the same in each managed namespace
        String doc = java.nio.file.Files.readString(ChartFixture.repo().resolve("docs/kubernetes-objects.md"));
        int section = doc.indexOf("## RBAC Windlass needs on a target cluster");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        ClusterRole documented = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                doc.substring(start, doc.indexOf("```", start)), ClusterRole.class);
        Set<String> expected = new TreeSet<>();
        documented.getRules().stream()
                .filter(rule -> !rule.getResources().contains("namespaces"))
                .filter(rule -> !rule.getApiGroups().contains("metallb.io"))
                .forEach(rule -> expected.addAll(grants(rule)));
        Set<String> granted = new TreeSet<>();
        ChartFixture.ofKind(rendered, Role.class).get(0).getRules().forEach(rule -> granted.addAll(grants(rule)));

        assertThat(granted).isEqualTo(expected);
    }

    private static List<String> grants(PolicyRule rule) {
        List<String> grants = new ArrayList<>();
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    grants.add(verb + " " + resource + (group.isEmpty() ? "" : "." + group));
                }
            }
        }
        return grants;
    }

    @Test
    void theServiceAccountMayDoWhatTheTableSays() {
        List<String> denied = new ArrayList<>();
        for (List<String> row : documented()) {
            List<String> namespaces = row.get(0).equals("cluster") ? List.of("") : MANAGED;
            for (String namespace : namespaces) {
                for (String resource : split(row.get(2))) {
                    for (String verb : split(row.get(3))) {
                        if (!allowed(verb, group(row.get(1)), resource, namespace)) {
                            denied.add(verb + " " + resource + " in '" + namespace + "'");
                        }
                    }
                }
            }
        }
        assertThat(denied).isEmpty();
    }

    @Test
    void theServiceAccountMayDoNothingMore() {
        List<String> allowed = new ArrayList<>();
        for (List<String> row : documented()) {
            if (row.get(0).equals("cluster")) {
                continue;
            }
            for (String resource : split(row.get(2))) {
                // the same objects outside the managed namespaces: nothing
                for (String namespace : List.of(RELEASE_NAMESPACE, UNMANAGED, "default", "kube-system")) {
                    for (String verb : ALL_VERBS) {
                        check(allowed, verb, group(row.get(1)), resource, namespace);
                    }
                }
                // in a managed namespace: no other verb
                for (String verb : ALL_VERBS) {
                    if (!split(row.get(3)).contains(verb)) {
                        check(allowed, verb, group(row.get(1)), resource, MANAGED.get(0));
                    }
                }
            }
        }
        for (String verb : List.of("list", "watch", "update", "patch", "delete", "deletecollection")) {
            check(allowed, verb, "", "namespaces", "");
        }
        Map<String, String> others = Map.ofEntries(
                Map.entry("pods/exec", ""),
                Map.entry("serviceaccounts", ""),
                Map.entry("serviceaccounts/token", ""),
                Map.entry("replicasets", "apps"),
                Map.entry("statefulsets", "apps"),
                Map.entry("daemonsets", "apps"),
                Map.entry("jobs", "batch"),
                Map.entry("roles", "rbac.authorization.k8s.io"),
                Map.entry("rolebindings", "rbac.authorization.k8s.io"));
        others.forEach((resource, group) -> List.of("get", "create", "delete")
                .forEach(verb -> check(allowed, verb, group, resource, MANAGED.get(0))));
        Map<String, String> clusterScoped = Map.of(
                "nodes", "",
                "persistentvolumes", "",
                "clusterroles", "rbac.authorization.k8s.io",
                "clusterrolebindings", "rbac.authorization.k8s.io",
                "customresourcedefinitions", "apiextensions.k8s.io",
                "subjectaccessreviews", "authorization.k8s.io");
        clusterScoped.forEach((resource, group) ->
                List.of("get", "create").forEach(verb -> check(allowed, verb, group, resource, "")));

        assertThat(allowed).isEmpty();
    }

    @Test
    void theServiceAccountWorksInManagedNamespacesOnly() {
        var service = new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("applied-by-windlass")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withPort(80)
                .endPort()
                .withSelector(Map.of("app", "web"))
                .endSpec()
                .build();

        assertThat(orchestrator
                        .services()
                        .inNamespace(MANAGED.get(1))
                        .resource(service)
                        .fieldManager("windlass")
                        .serverSideApply()
                        .getMetadata()
                        .getUid())
                .isNotBlank();
        assertThatThrownBy(() -> orchestrator
                        .services()
                        .inNamespace(UNMANAGED)
                        .resource(service)
                        .fieldManager("windlass")
                        .serverSideApply())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
        String created = "rbac-created-by-windlass";
        orchestrator
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(created)
                        .endMetadata()
                        .build())
                .create();
        assertThat(orchestrator.namespaces().withName(created).get()).isNotNull();
        assertThatThrownBy(() -> orchestrator.namespaces().withName(created).delete())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
    }

    private static List<List<String>> documented() {
        return DocTable.rows(ChartFixture.operationsDoc(), "rbac-table").stream()
                .map(row -> row.subList(0, 4))
                .toList();
    }

    private static List<String> row(String scope, PolicyRule rule) {
        assertThat(rule.getResourceNames())
                .as("resourceNames are not described")
                .isNullOrEmpty();
        return List.of(
                scope,
                rule.getApiGroups().stream().map(g -> g.isEmpty() ? "core" : g).collect(Collectors.joining(", ")),
                String.join(", ", new TreeSet<>(rule.getResources())),
                String.join(", ", new LinkedHashSet<>(rule.getVerbs())));
    }

    private static String group(String documented) {
        return documented.equals("core") ? "" : documented;
    }

    private static List<String> split(String cell) {
        return List.of(cell.split(",\\s*"));
    }

    private static void check(List<String> allowed, String verb, String group, String resource, String namespace) {
        if (allowed(verb, group, resource, namespace)) {
            allowed.add(verb + " " + resource + " in '" + namespace + "'");
        }
    }

    /** `kubectl auth can-i` as the chart's ServiceAccount. */
    private static boolean allowed(String verb, String group, String resource, String namespace) {
        String[] parts = resource.split("/", 2);
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(parts[0])
                .withSubresource(parts.length > 1 ? parts[1] : null)
                .withNamespace(namespace.isEmpty() ? null : namespace)
                .endResourceAttributes()
                .endSpec()
                .build();
        return orchestrator
                .authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(review)
                .getStatus()
                .getAllowed();
    }

    private static KubernetesClient clientWithToken(String token) {
        Config admin = kube.adminClient().getConfiguration();
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(admin.getMasterUrl())
                .withCaCertData(admin.getCaCertData())
                .withCaCertFile(admin.getCaCertFile())
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String markdown(List<List<String>> rows) {
        Set<String> lines = new LinkedHashSet<>();
        rows.forEach(r -> lines.add("| " + String.join(" | ", r) + " |"));
        return String.join("\n", lines);
    }
}
