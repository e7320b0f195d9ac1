package dev.windlass.devstack;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.process.EtcdProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real {@code kube-apiserver} + {@code etcd} (RBAC on, TLS, ServiceAccount tokens), from the
 * binaries in kube-api-test's cache ({@code scripts/provision-kube-binaries.sh} puts them there on
 * offline hosts).
 *
 * <p>kube-api-test provides the pieces: the binary cache, the certificates (a CA, the serving
 * certificate and an admin client certificate, kept in its directory and shared by every server on
 * the machine), etcd on a temporary data directory, and the kubeconfig. The {@code kube-apiserver}
 * process is launched here rather than through kube-api-test's {@code KubeAPIServer}, because that
 * one picks a new port on every start and tears etcd down with the API server; here
 * {@link #stopApiServer()} and {@link #startApiServer()} restart only the API server, on the same port
 * with the same certificates, signing key and etcd data, so existing clients reconnect and
 * ServiceAccount tokens stay valid.
 *
 * <p>{@link #create(ClusterShape)} starts a server with a certificate authority of its own instead,
 * shaped as {@link ClusterShape#K3S k3s} or {@link ClusterShape#KUBEADM kubeadm} issues it (see
 * {@link ClusterCertificates}), with the admin kubeconfig exactly as that distribution writes it.
 */
public final class KubeApiServer implements AutoCloseable {

    /** The Kubernetes version started unless {@code WINDLASS_KUBE_API_VERSION} names another. */
    public static final String DEFAULT_VERSION = "1.20.2";

    private static final Logger LOG = Logger.getLogger(KubeApiServer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String version;
    private final ClusterShape shape;
    private KubeAPIServerConfig config;
    private BinaryManager binaries;
    private ApiServerCredentials credentials;
    private EtcdProcess etcd;
    private int etcdPort;
    private int port;
    private Path workDir;
    private Process apiServer;
    private String kubeconfigYaml;
    private KubernetesClient admin;

    private KubeApiServer(String version, ClusterShape shape) {
        this.version = version;
        this.shape = shape;
    }

    /** A server of {@link #DEFAULT_VERSION} or of {@code WINDLASS_KUBE_API_VERSION}, with kube-api-test's certificates. */
    public static KubeApiServer create() {
        return create(ClusterShape.KUBE_API_TEST);
    }

    /**
     * A server like {@link #create()} whose certificates, admin credentials and kubeconfig have
     * {@code shape}; K3S and KUBEADM generate a CA of the server's own at {@link #start()}.
     */
    public static KubeApiServer create(ClusterShape shape) {
        String v = System.getenv("WINDLASS_KUBE_API_VERSION");
        return new KubeApiServer(v == null || v.isBlank() ? DEFAULT_VERSION : v, shape);
    }

    /** A kubeconfig file of an existing cluster to use instead ({@code WINDLASS_KUBECONFIG}), or null. */
    public static String externalKubeconfig() {
        return System.getenv("WINDLASS_KUBECONFIG");
    }

    /** Starts etcd and the API server; downloads nothing when the binaries are cached. */
    public synchronized void start() {
        if (admin != null) {
            return;
        }
        config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withApiServerVersion(version)
                .withOfflineMode(binariesCached())
                .withUpdateKubeConfig(false)
                .withStartupTimeout((int) STARTUP_TIMEOUT.toMillis())
                .build();
        binaries = new BinaryManager(config);
        binaries.initAndDownloadIfRequired();
        try {
            workDir = Files.createTempDirectory("windlass-kube-apiserver-");
            credentials = ApiServerCredentials.create(shape, config, workDir);
            etcd = new EtcdProcess(
                    binaries,
                    process -> LOG.warning("etcd exited unexpectedly (" + process.exitValue() + ")"),
                    config.isWaitForEtcdHealthCheckOnStartup(),
                    config.getStartupTimeout());
            etcdPort = etcd.startEtcd();
            port = FreePorts.pick();
            kubeconfigYaml = credentials.kubeconfigYaml(port, binaries);
            launchApiServer();
            admin = new KubernetesClientBuilder()
                    .withConfig(credentials.adminConfig(kubeconfigYaml))
                    .build();
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("kube-apiserver did not start", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Stops only the {@code kube-apiserver} process (SIGTERM, then SIGKILL after a grace period);
     * etcd keeps running with the cluster's data. Clients see connection failures until
     * {@link #startApiServer()}.
     */
    public synchronized void stopApiServer() {
        if (apiServer == null) {
            return;
        }
        Process process = apiServer;
        apiServer = null;
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Starts the API server again after {@link #stopApiServer()}: same port, certificates,
     * ServiceAccount signing key and etcd, so the cluster's objects, the admin client and issued
     * tokens work as before. Returns once it is ready; a no-op while it runs.
     */
    public synchronized void startApiServer() {
        if (etcd == null) {
            throw new IllegalStateException("the cluster is not started; call start() first");
        }
        if (apiServer != null && apiServer.isAlive()) {
            return;
        }
        launchApiServer();
    }

    /** Whether the {@code kube-apiserver} process is alive. */
    public synchronized boolean isApiServerRunning() {
        return apiServer != null && apiServer.isAlive();
    }

    /** Stops the API server and etcd; the cluster's state is gone. */
    public synchronized void stop() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        stopApiServer();
        if (etcd != null) {
            EtcdProcess stopping = etcd;
            etcd = null;
            try {
                stopping.stopEtcd();
            } finally {
                stopping.cleanEtcdData();
            }
        }
        if (workDir != null) {
            Files2.deleteRecursively(workDir);
            workDir = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The kubeconfig of a cluster admin (client certificate in {@code system:masters}), for K3S and
     * KUBEADM exactly as the distribution writes it.
     */
    public String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    /** Writes {@link #kubeconfigYaml()} to {@code file} (owner read/write only) and returns the file. */
    public Path writeKubeconfig(Path file) {
        try {
            Files.writeString(file, kubeconfigYaml, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shape of this server's certificates and kubeconfig. */
    public ClusterShape shape() {
        return shape;
    }

    /** The bearer token of user {@code admin} in {@code system:masters}; K3S only, as k3s hands one out. */
    public String staticAdminToken() {
        String token = credentials == null ? null : credentials.staticAdminToken();
        if (token == null) {
            throw new IllegalStateException("only a started K3S-shaped server has a static admin token");
        }
        return token;
    }

    /**
     * A cluster-admin client certificate with an Ed25519 key, issued by a started K3S- or KUBEADM-shaped server's
     * client CA, as {@code [certificate PEM, PKCS#8 key PEM]}.
     */
    public List<String> issueEd25519AdminCertificate(String commonName) {
        ClusterCertificates shaped = credentials == null ? null : credentials.shapedCertificates();
        if (shaped == null) {
            throw new IllegalStateException("only a started K3S- or KUBEADM-shaped server issues client certificates");
        }
        return shaped.issueEd25519Client(commonName, List.of("system:masters"));
    }

    /** A client with cluster-admin rights. */
    public KubernetesClient adminClient() {
        return admin;
    }

    /** The image of the first container of Deployment {@code name}, as the API server holds it. */
    public String deploymentImage(String namespace, String name) {
        return admin.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
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

    /** The PEM of the admin's client certificate (trusted by the API server); K3S writes its CA after it. */
    public String adminClientCertPem() {
        return pem(
                admin.getConfiguration().getClientCertData(),
                admin.getConfiguration().getClientCertFile());
    }

    /** The PEM of the admin's client key: {@code EC PRIVATE KEY} for K3S, {@code RSA PRIVATE KEY} for KUBEADM. */
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

    /** Starts {@code kube-apiserver} on {@link #port} against {@link #etcdPort} and waits until it is ready. */
    private void launchApiServer() {
        Path log = workDir.resolve("kube-apiserver.log");
        try {
            apiServer = new ProcessBuilder(apiServerCommand())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("kube-apiserver did not start", e);
        }
        awaitReady(apiServer, log);
    }

    /**
     * The flags kube-api-test starts {@code kube-apiserver} with, but on a port of ours, and with
     * the credentials' flags ({@link ApiServerCredentials#apiServerFlags()}).
     */
    private List<String> apiServerCommand() {
        List<String> command = new ArrayList<>();
        command.add(binaries.binaries().getApiServer().getAbsolutePath());
        command.addAll(config.getApiServerFlags());
        command.addAll(credentials.apiServerFlags());
        command.addAll(List.of(
                "--secure-port",
                Integer.toString(port),
                "--etcd-servers",
                "http://127.0.0.1:" + etcdPort,
                "--authorization-mode",
                "RBAC",
                "--disable-admission-plugins",
                "ServiceAccount",
                // room for 65,534 Services: a /24 (254) is full after the long reliability run's fault rounds
                "--service-cluster-ip-range",
                "10.0.0.0/16",
                "--allow-privileged"));
        return command;
    }

    /** Polls {@code /readyz} and the {@code default} namespace until both answer, the process dies or time runs out. */
    private void awaitReady(Process process, Path log) {
        Config probeConfig = new ConfigBuilder(credentials.adminConfig(kubeconfigYaml))
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000)
                .withRequestTimeout(5_000)
                .build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (KubernetesClient probe =
                new KubernetesClientBuilder().withConfig(probeConfig).build()) {
            String readyz = probeConfig.getMasterUrl().replaceAll("/$", "") + "/readyz";
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "kube-apiserver exited with status " + process.exitValue() + ":\n" + tail(log));
                }
                try {
                    if ("ok".equals(probe.raw(readyz))
                            && probe.namespaces().withName("default").get() != null) {
                        return;
                    }
                } catch (KubernetesClientException notYet) {
                    // connection refused or not ready: poll again
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException(
                            "kube-apiserver not ready after " + STARTUP_TIMEOUT + ":\n" + tail(log));
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while kube-apiserver was starting", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
