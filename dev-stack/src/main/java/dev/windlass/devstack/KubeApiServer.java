package dev.windlass.devstack;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A real {@code kube-apiserver} + {@code etcd} (RBAC on, TLS, ServiceAccount tokens), started through
 * kube-api-test from the binaries in its cache ({@code scripts/provision-kube-binaries.sh} puts them
 * there on offline hosts).
 */
public final class KubeApiServer implements AutoCloseable {

    /** The Kubernetes version started unless {@code WINDLASS_KUBE_API_VERSION} names another. */
    public static final String DEFAULT_VERSION = "1.20.2";

    private final String version;
    private KubeAPIServer server;
    private String kubeconfigYaml;
    private KubernetesClient admin;

    private KubeApiServer(String version) {
        this.version = version;
    }

    /** A server of {@link #DEFAULT_VERSION} or of {@code WINDLASS_KUBE_API_VERSION}. */
    public static KubeApiServer create() {
        String v = System.getenv("WINDLASS_KUBE_API_VERSION");
        return new KubeApiServer(v == null || v.isBlank() ? DEFAULT_VERSION : v);
    }

    /** A kubeconfig file of an existing cluster to use instead ({@code WINDLASS_KUBECONFIG}), or null. */
    public static String externalKubeconfig() {
        return System.getenv("WINDLASS_KUBECONFIG");
    }

    /** Starts etcd and the API server; downloads nothing when the binaries are cached. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(version)
                .withOfflineMode(binariesCached())
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
        server.start();
        kubeconfigYaml = server.getKubeConfigYaml();
        admin = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfigYaml))
                .build();
    }

    /** Stops the API server and etcd; the cluster's state is gone. */
    public synchronized void stop() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The kubeconfig of a cluster admin (client certificate in {@code system:masters}). */
    public String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    /** A client with cluster-admin rights. */
    public KubernetesClient adminClient() {
        return admin;
    }

    /** The API server's https URL. */
    public String url() {
        return admin.getConfiguration().getMasterUrl().replaceAll("/$", "");
    }

    /** The PEM of the CA that signed the API server's serving certificate. */
    public String caCertPem() {
        return pem(
                admin.getConfiguration().getCaCertData(),
                admin.getConfiguration().getCaCertFile());
    }

    /** The PEM of the admin's client certificate (trusted by the API server). */
    public String adminClientCertPem() {
        return pem(
                admin.getConfiguration().getClientCertData(),
                admin.getConfiguration().getClientCertFile());
    }

    /** The PEM of the admin's client key. */
    public String adminClientKeyPem() {
        return pem(
                admin.getConfiguration().getClientKeyData(),
                admin.getConfiguration().getClientKeyFile());
    }

    /**
     * Creates (or updates) a ServiceAccount in {@code namespace} bound to a Role with exactly
     * {@code rules} there, and returns a fresh token for it (TokenRequest API).
     */
    public String serviceAccountToken(String namespace, String name, List<PolicyRule> rules) {
        ensureNamespace(namespace);
        admin.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .serverSideApply();
        admin.rbac()
                .roles()
                .inNamespace(namespace)
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withRules(rules)
                        .build())
                .serverSideApply();
        admin.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(name)
                        .withNamespace(namespace)
                        .endSubject()
                        .build())
                .serverSideApply();
        return token(namespace, name);
    }

    /** A fresh token of an existing ServiceAccount (one hour). */
    public String token(String namespace, String serviceAccount) {
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** Creates the namespace if it is missing. */
    public void ensureNamespace(String namespace) {
        if (admin.namespaces().withName(namespace).get() == null) {
            admin.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    private boolean binariesCached() {
        String dir = System.getProperty(
                KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR,
                Path.of(System.getProperty("user.home"), ".kubeapitest").toString());
        Path bin = Path.of(dir, "k8s", version + "-linux-amd64");
        return Files.isExecutable(bin.resolve("kube-apiserver")) && Files.isExecutable(bin.resolve("etcd"));
    }

    private static String pem(String base64Data, String file) {
        try {
            if (base64Data != null) {
                return new String(Base64.getDecoder().decode(base64Data), StandardCharsets.US_ASCII);
            }
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
