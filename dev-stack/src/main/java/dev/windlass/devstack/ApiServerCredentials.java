package dev.windlass.devstack;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.binary.BinaryManager;
import io.fabric8.kubeapitest.cert.CertManager;
import io.fabric8.kubeapitest.kubeconfig.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link KubeApiServer} trusts and how its admin signs in: kube-api-test's certificates,
 * shared by every server on the machine, or a CA of the server's own shaped as k3s or kubeadm.
 */
final class ApiServerCredentials {

    private final ClusterShape shape;
    private final KubeAPIServerConfig config;
    private final CertManager kubeApiTestCerts;
    private final ClusterCertificates shapedCerts;
    private final StaticTokenFile staticTokens;

    private ApiServerCredentials(
            ClusterShape shape,
            KubeAPIServerConfig config,
            CertManager kubeApiTestCerts,
            ClusterCertificates shapedCerts,
            StaticTokenFile staticTokens) {
        this.shape = shape;
        this.config = config;
        this.kubeApiTestCerts = kubeApiTestCerts;
        this.shapedCerts = shapedCerts;
        this.staticTokens = staticTokens;
    }

    /**
     * kube-api-test's certificates (created once per machine), or new ones of {@code shape} in
     * {@code workDir/tls}; K3S also gets a static admin token file.
     */
    static ApiServerCredentials create(ClusterShape shape, KubeAPIServerConfig config, Path workDir) {
        if (shape == ClusterShape.KUBE_API_TEST) {
            CertManager certs = new CertManager(config.getKubeAPITestDir());
            certs.createCertificatesIfNeeded();
            return new ApiServerCredentials(shape, config, certs, null, null);
        }
        return new ApiServerCredentials(
                shape,
                config,
                null,
                ClusterCertificates.generate(shape, workDir.resolve("tls")),
                shape == ClusterShape.K3S ? StaticTokenFile.write(workDir.resolve("token.csv")) : null);
    }

    /**
     * kube-api-test's: serving certificate and key from its directory ({@code --cert-dir}), admin
     * client certificates signed by its CA, and the serving key also signing and verifying
     * ServiceAccount tokens. K3S and KUBEADM: the files of {@link ClusterCertificates}; K3S also
     * accepts its static token and, as k3s does, no anonymous requests.
     */
    List<String> apiServerFlags() {
        if (kubeApiTestCerts != null) {
            String key = kubeApiTestCerts.getAPIServerKeyPath();
            return List.of(
                    "--cert-dir",
                    config.getKubeAPITestDir(),
                    "--client-ca-file",
                    kubeApiTestCerts.getClientCertPath(),
                    "--service-account-issuer",
                    "https://localhost",
                    "--service-account-signing-key-file",
                    key,
                    "--service-account-key-file",
                    key);
        }
        List<String> flags = new ArrayList<>(shapedCerts.apiServerFlags());
        if (staticTokens != null) {
            flags.addAll(staticTokens.apiServerFlags());
            flags.add("--anonymous-auth=false");
        }
        return flags;
    }

    /** The admin kubeconfig for a server on {@code port} of the loopback interface. */
    String kubeconfigYaml(int port, BinaryManager binaries) {
        if (kubeApiTestCerts != null) {
            return new KubeConfig(kubeApiTestCerts, binaries).generateKubeConfigYaml(port);
        }
        return shape.kubeconfigYaml(
                "https://127.0.0.1:" + port,
                shapedCerts.serverCaPem(),
                shapedCerts.adminCertPem(),
                shapedCerts.adminKeyPem());
    }

    /** The admin kubeconfig as a Fabric8 config, told the client key's algorithm (it assumes RSA otherwise). */
    Config adminConfig(String kubeconfigYaml) {
        Config fabric8 = Config.fromKubeconfig(kubeconfigYaml);
        if (shapedCerts != null) {
            fabric8.setClientKeyAlgo(shape.clientKeyAlgorithm());
        }
        return fabric8;
    }

    /** The shaped certificates, or null for kube-api-test's. */
    ClusterCertificates shapedCertificates() {
        return shapedCerts;
    }

    /** The static admin token, or null when the shape has none. */
    String staticAdminToken() {
        return staticTokens == null ? null : staticTokens.adminToken();
    }
}
