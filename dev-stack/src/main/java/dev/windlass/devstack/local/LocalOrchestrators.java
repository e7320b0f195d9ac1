package dev.windlass.devstack.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.KubeApiServer;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Registers the local API server as orchestrator {@value #LOCAL} in the registry, through its public API as the dev
 * admin, with a token of a dedicated ServiceAccount that has only what the deployer needs; optionally also the
 * current context of the user's kubeconfig. Then runs each one's connection test.
 *
 * <p>The API server starts empty on every run while the registry keeps its data in PostgreSQL, so an existing
 * {@value #LOCAL} is updated (PUT with {@code If-Match: *}) with the new URL, CA and token rather than created again.
 */
public final class LocalOrchestrators {

    /** The orchestrator name of the dev stack's API server. */
    public static final String LOCAL = "local";

    /** Namespace of the ServiceAccount Windlass uses on the local API server. */
    public static final String SYSTEM_NAMESPACE = "windlass-system";

    /** The ServiceAccount, ClusterRole and ClusterRoleBinding name on the local API server. */
    public static final String SERVICE_ACCOUNT = "windlass-local";

    /** Lifetime asked for the ServiceAccount token: longer than a working day; every start asks for a new one. */
    static final Duration TOKEN_TTL = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of registering and testing one orchestrator. */
    public record Registered(String name, String id, String status, String message) {}

    private final String registryUrl;
    private final String adminToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param registryUrl the registry's base URL
     * @param adminToken a token of {@link DevUser#ADMIN}
     */
    LocalOrchestrators(String registryUrl, String adminToken) {
        this.registryUrl = registryUrl;
        this.adminToken = adminToken;
    }

    /**
     * The rules of the ServiceAccount: those of the Helm chart's orchestrator RBAC ({@code k8s/helm/windlass}), plus
     * {@code get list} on pods, {@code get} on {@code pods/log} and {@code list} on events
     * (rollout diagnostics, an app's status, its container logs and events), as docs/kubernetes-objects.md lists them; bound cluster-wide so that apps can go to any
     * namespace the deployer creates.
     */
    static List<PolicyRule> rules() {
        List<String> all = List.of("get", "list", "watch", "create", "update", "patch", "delete");
        return List.of(
                rule("", List.of("namespaces"), List.of("get", "create")),
                rule(
                        "authorization.k8s.io",
                        List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                        List.of("create")),
                rule("", List.of("configmaps", "persistentvolumeclaims", "secrets", "services"), all),
                rule("apps", List.of("deployments"), all),
                rule("networking.k8s.io", List.of("ingresses", "networkpolicies"), all),
                rule("", List.of("pods"), List.of("get", "list", "watch")),
                rule("", List.of("pods/log"), List.of("get")),
                rule("", List.of("events"), List.of("list")));
    }

    private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder()
                .withApiGroups(group)
                .withResources(resources)
                .withVerbs(verbs)
                .build();
    }

    /** Creates the ServiceAccount and its RBAC on the local API server and returns a fresh token for it. */
    static String serviceAccountToken(KubeApiServer kube) {
        KubernetesClient admin = kube.adminClient();
        kube.ensureNamespace(SYSTEM_NAMESPACE);
        admin.serviceAccounts()
                .inNamespace(SYSTEM_NAMESPACE)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(SERVICE_ACCOUNT)
                        .endMetadata()
                        .build())
                .serverSideApply();
        admin.rbac()
                .clusterRoles()
                .resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName(SERVICE_ACCOUNT)
                        .addToLabels("app.kubernetes.io/managed-by", "windlass-local")
                        .endMetadata()
                        .withRules(rules())
                        .build())
                .serverSideApply();
        admin.rbac()
                .clusterRoleBindings()
                .resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(SERVICE_ACCOUNT)
                        .addToLabels("app.kubernetes.io/managed-by", "windlass-local")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", SERVICE_ACCOUNT)
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(SERVICE_ACCOUNT)
                        .withNamespace(SYSTEM_NAMESPACE)
                        .endSubject()
                        .build())
                .serverSideApply();
        return admin.serviceAccounts()
                .inNamespace(SYSTEM_NAMESPACE)
                .withName(SERVICE_ACCOUNT)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(TOKEN_TTL.toSeconds())
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** Registers (or updates) orchestrator {@value #LOCAL} for {@code kube} and tests its connection. */
    Registered registerLocal(KubeApiServer kube) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", LOCAL);
        body.put(
                "description",
                "The dev stack's Kubernetes API server (./windlass-local). It runs no containers: a node simulator"
                        + " reports Deployments available.");
        body.put("environment", "dev");
        body.put("type", "K8S");
        body.put("apiServerUrl", kube.url());
        body.put("authType", "TOKEN");
        body.put("token", serviceAccountToken(kube));
        body.put("caCertificatePem", kube.caCertPem());
        body.put("defaultNamespace", "default");
        destinations(body, "default");
        return upsertAndTest(body);
    }

    /**
     * Registers the current context of the user's kubeconfig ({@code $KUBECONFIG}'s first file, else
     * {@code ~/.kube/config}) as orchestrator {@code kubeconfig-<context>}, with the context's token or client
     * certificate.
     *
     * @return the outcome, or null with {@code why} told when the context cannot be registered
     */
    Registered registerKubeconfig(Consumer<String> why) throws IOException, InterruptedException {
        return registerKubeconfig(kubeconfigFile(), why);
    }

    /** {@link #registerKubeconfig(Consumer)} for the current context of {@code file}. */
    Registered registerKubeconfig(File file, Consumer<String> why) throws IOException, InterruptedException {
        if (!file.isFile()) {
            why.accept("no kubeconfig at " + file + "; nothing registered");
            return null;
        }
        Config config = KubeConfigUtils.parseConfig(file);
        String current = config.getCurrentContext();
        NamedContext context = config.getContexts() == null
                ? null
                : config.getContexts().stream()
                        .filter(c -> c.getName().equals(current))
                        .findFirst()
                        .orElse(null);
        if (context == null || context.getContext() == null) {
            why.accept(file + " has no current context; nothing registered");
            return null;
        }
        NamedCluster cluster = config.getClusters().stream()
                .filter(c -> c.getName().equals(context.getContext().getCluster()))
                .findFirst()
                .orElse(null);
        NamedAuthInfo user = config.getUsers() == null
                ? null
                : config.getUsers().stream()
                        .filter(u -> u.getName().equals(context.getContext().getUser()))
                        .findFirst()
                        .orElse(null);
        if (cluster == null || cluster.getCluster() == null || user == null || user.getUser() == null) {
            why.accept("context " + current + " names a cluster or user that " + file + " lacks; nothing registered");
            return null;
        }
        var auth = user.getUser();
        if (auth.getExec() != null || auth.getAuthProvider() != null) {
            why.accept("context " + current + " signs in through an exec plugin or auth provider, which an"
                    + " orchestrator cannot store (it takes a token or a client certificate); nothing registered");
            return null;
        }
        Path base = file.toPath().toAbsolutePath().getParent();
        ObjectNode body = JSON.createObjectNode();
        body.put("name", orchestratorName(current));
        body.put("description", "Context " + current + " of " + file + " (registered by ./windlass-local)");
        body.put("environment", "dev");
        body.put("apiServerUrl", cluster.getCluster().getServer());
        String token = auth.getToken() != null ? auth.getToken() : read(base, auth.getTokenFile(), null);
        String cert = read(base, auth.getClientCertificate(), auth.getClientCertificateData());
        String key = read(base, auth.getClientKey(), auth.getClientKeyData());
        if (token != null && !token.isBlank()) {
            body.put("authType", "TOKEN");
            body.put("token", token.strip());
        } else if (cert != null && key != null) {
            body.put("authType", "CERTIFICATE");
            body.put("clientCertificatePem", cert);
            body.put("clientKeyPem", key);
        } else {
            why.accept("context " + current + " has neither a token nor a client certificate and key (basic auth is"
                    + " not supported); nothing registered");
            return null;
        }
        String ca = read(
                base,
                cluster.getCluster().getCertificateAuthority(),
                cluster.getCluster().getCertificateAuthorityData());
        body.put("type", isK3s(ca) ? "K3S" : "K8S");
        if (ca != null) {
            body.put("caCertificatePem", ca);
        } else if (Boolean.TRUE.equals(cluster.getCluster().getInsecureSkipTlsVerify())) {
            body.put("skipTlsVerify", true);
        }
        String namespace = context.getContext().getNamespace();
        String defaultNamespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        body.put("defaultNamespace", defaultNamespace);
        destinations(body, defaultNamespace);
        return upsertAndTest(body);
    }

    /**
     * The deployers and viewers may use every namespace (deployers deploy, viewers read), and the default one by name:
     * {@code *} never covers {@code default}, which the local cluster deploys to when a request names no namespace.
     */
    private static void destinations(ObjectNode body, String defaultNamespace) {
        ObjectNode destination = body.putArray("destinations").addObject();
        var namespaces = destination.putArray("namespaces").add("*");
        if (!defaultNamespace.startsWith("kube-")) {
            namespaces.add(defaultNamespace);
        }
        destination.putArray("groups").add(DevUser.DEPLOYER.group()).add(DevUser.VIEWER.group());
    }

    /** Whether the cluster's CA is one k3s made: k3s names its CAs {@code k3s-server-ca@<time>}. */
    static boolean isK3s(String caPem) {
        if (caPem == null) {
            return false;
        }
        try {
            var certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance(
                            "X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
            return certificate.getSubjectX500Principal().getName().contains("CN=k3s-");
        } catch (java.security.cert.CertificateException e) {
            return false;
        }
    }

    static File kubeconfigFile() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return new File(env.split(File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config").toFile();
    }

    /** {@code kubeconfig-<context>} made a DNS label. */
    static String orchestratorName(String context) {
        String label = ("kubeconfig-" + context.toLowerCase(Locale.ROOT))
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-+", "-");
        if (label.length() > 63) {
            label = label.substring(0, 63);
        }
        return label.replaceAll("-+$", "");
    }

    private static String read(Path base, String file, String base64Data) throws IOException {
        if (base64Data != null && !base64Data.isBlank()) {
            return new String(Base64.getDecoder().decode(base64Data.strip()), StandardCharsets.UTF_8);
        }
        if (file == null || file.isBlank()) {
            return null;
        }
        return Files.readString(base.resolve(file), StandardCharsets.UTF_8);
    }

    private Registered upsertAndTest(ObjectNode body) throws IOException, InterruptedException {
        String name = body.get("name").asText();
        String id = findId(name);
        if (id == null) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/orchestrators"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            expect(created, 201, "registering orchestrator " + name);
            id = JSON.readTree(created.body()).get("id").asText();
        } else {
            HttpResponse<String> updated = send(HttpRequest.newBuilder(uri("/api/orchestrators/" + id))
                    .header("Content-Type", "application/json")
                    .header("If-Match", "*")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            expect(updated, 200, "updating orchestrator " + name);
        }
        HttpResponse<String> tested = send(HttpRequest.newBuilder(uri("/api/orchestrators/" + id + "/test-connection"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(tested, 200, "testing the connection of orchestrator " + name);
        JsonNode result = JSON.readTree(tested.body());
        return new Registered(
                name, id, result.path("status").asText(), result.path("message").asText());
    }

    private String findId(String name) throws IOException, InterruptedException {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri(
                        "/api/orchestrators?size=100&nameContains=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .GET());
        expect(page, 200, "listing orchestrators");
        for (JsonNode item : JSON.readTree(page.body()).path("items")) {
            if (name.equals(item.path("name").asText())) {
                return item.path("id").asText();
            }
        }
        return null;
    }

    private URI uri(String path) {
        return URI.create(registryUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(
                request.timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Accept", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Fails with the registry's problem (which never carries a credential) unless the status is {@code status}. */
    private static void expect(HttpResponse<String> response, int status, String what) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(what + ": the registry answered " + response.statusCode() + " " + response.body());
        }
    }
}
