package dev.windlass.devstack;

import dev.windlass.devstack.CertificateAuthority.Issued;
import dev.windlass.devstack.CertificateAuthority.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

/**
 * A cluster's certificates and keys shaped as k3s or kubeadm issues them, generated anew and
 * written to a directory under the distribution's file names.
 *
 * <p>K3S ({@code server/tls/}): separate EC P-256 server and client CAs, the serving certificate
 * and the admin client certificate each written with their CA after them, EC keys as SEC1, and an
 * RSA 2048 ServiceAccount key ({@code service.key}) as k3s generates it. KUBEADM
 * ({@code /etc/kubernetes/pki/}): one RSA 2048 CA {@code kubernetes} signing both, RSA keys as
 * PKCS#1, the ServiceAccount key pair {@code sa.key} / {@code sa.pub}.
 */
public final class ClusterCertificates {

    /** The ServiceAccount token issuer both distributions configure. */
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    /** Names the serving certificate holds besides its IP addresses. */
    private static final List<String> SERVING_DNS_NAMES = List.of(
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "localhost");

    /** Loopback, and the first address of the dev-stack's Service range (the {@code kubernetes} Service). */
    private static final List<String> SERVING_IPS = List.of("127.0.0.1", "10.0.0.1");

    private final ClusterShape shape;
    private final Path dir;
    private final String serverCaPem;
    private final String adminCertPem;
    private final String adminKeyPem;
    private final List<String> apiServerFlags;
    private final CertificateAuthority clientCa;

    private ClusterCertificates(
            ClusterShape shape,
            Path dir,
            String serverCaPem,
            String adminCertPem,
            String adminKeyPem,
            List<String> apiServerFlags,
            CertificateAuthority clientCa) {
        this.clientCa = clientCa;
        this.shape = shape;
        this.dir = dir;
        this.serverCaPem = serverCaPem;
        this.adminCertPem = adminCertPem;
        this.adminKeyPem = adminKeyPem;
        this.apiServerFlags = apiServerFlags;
    }

    /** Generates new certificates of {@code shape} (K3S or KUBEADM) into {@code dir}, created if missing. */
    public static ClusterCertificates generate(ClusterShape shape, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return switch (shape) {
            case K3S -> k3s(dir);
            case KUBEADM -> kubeadm(dir);
            case KUBE_API_TEST ->
                throw new IllegalArgumentException("kube-api-test's certificates come from its CertManager");
        };
    }

    private static ClusterCertificates k3s(Path dir) {
        long now = Instant.now().getEpochSecond();
        CertificateAuthority serverCa = CertificateAuthority.create("k3s-server-ca@" + now, KeyType.EC_P256);
        CertificateAuthority clientCa = CertificateAuthority.create("k3s-client-ca@" + now, KeyType.EC_P256);
        Issued serving = serverCa.issueServing("kube-apiserver", SERVING_DNS_NAMES, SERVING_IPS);
        Issued admin = clientCa.issueClient("system:admin", List.of("system:masters"));
        PemFiles files = new PemFiles(dir);
        String serverCaPem = files.write("server-ca.crt", Pem.certificates(serverCa.certificate()));
        files.write("server-ca.key", Pem.privateKey(serverCa.keys()));
        files.write("client-ca.crt", Pem.certificates(clientCa.certificate()));
        files.write("client-ca.key", Pem.privateKey(clientCa.keys()));
        files.write("serving-kube-apiserver.crt", Pem.certificates(serving.certificate(), serverCa.certificate()));
        files.write("serving-kube-apiserver.key", Pem.privateKey(serving.keys()));
        String adminCertPem =
                files.write("client-admin.crt", Pem.certificates(admin.certificate(), clientCa.certificate()));
        String adminKeyPem = files.write("client-admin.key", Pem.privateKey(admin.keys()));
        files.write("service.key", Pem.privateKey(KeyType.RSA_2048.generate()));
        return new ClusterCertificates(
                ClusterShape.K3S,
                dir,
                serverCaPem,
                adminCertPem,
                adminKeyPem,
                flags(dir, "client-ca.crt", "serving-kube-apiserver", "service.key", "service.key"),
                clientCa);
    }

    private static ClusterCertificates kubeadm(Path dir) {
        CertificateAuthority ca = CertificateAuthority.create("kubernetes", KeyType.RSA_2048);
        Issued serving = ca.issueServing("kube-apiserver", SERVING_DNS_NAMES, SERVING_IPS);
        Issued admin = ca.issueClient("kubernetes-admin", List.of("system:masters"));
        var serviceAccount = KeyType.RSA_2048.generate();
        PemFiles files = new PemFiles(dir);
        String caPem = files.write("ca.crt", Pem.certificates(ca.certificate()));
        files.write("ca.key", Pem.privateKey(ca.keys()));
        files.write("apiserver.crt", Pem.certificates(serving.certificate()));
        files.write("apiserver.key", Pem.privateKey(serving.keys()));
        files.write("sa.key", Pem.privateKey(serviceAccount));
        files.write("sa.pub", Pem.publicKey(serviceAccount));
        return new ClusterCertificates(
                ClusterShape.KUBEADM,
                dir,
                caPem,
                Pem.certificates(admin.certificate()),
                Pem.privateKey(admin.keys()),
                flags(dir, "ca.crt", "apiserver", "sa.pub", "sa.key"),
                ca);
    }

    private static List<String> flags(
            Path dir, String clientCa, String serving, String serviceAccountKey, String serviceAccountSigningKey) {
        return List.of(
                "--client-ca-file",
                dir.resolve(clientCa).toString(),
                "--tls-cert-file",
                dir.resolve(serving + ".crt").toString(),
                "--tls-private-key-file",
                dir.resolve(serving + ".key").toString(),
                "--service-account-key-file",
                dir.resolve(serviceAccountKey).toString(),
                "--service-account-signing-key-file",
                dir.resolve(serviceAccountSigningKey).toString(),
                "--service-account-issuer",
                SERVICE_ACCOUNT_ISSUER);
    }

    /** The shape these certificates have. */
    public ClusterShape shape() {
        return shape;
    }

    /** The directory the files are in. */
    public Path dir() {
        return dir;
    }

    /** The PEM of the CA that signed the serving certificate (the kubeconfig's certificate authority). */
    public String serverCaPem() {
        return serverCaPem;
    }

    /** The PEM of the admin's client certificate; k3s writes its CA after it. */
    public String adminCertPem() {
        return adminCertPem;
    }

    /** The PEM of the admin's client key: {@code EC PRIVATE KEY} (k3s) or {@code RSA PRIVATE KEY} (kubeadm). */
    public String adminKeyPem() {
        return adminKeyPem;
    }

    /**
     * A further client certificate from the cluster's client CA, with an Ed25519 key (PKCS#8), as a cluster admin
     * may issue one with openssl: user {@code commonName}, groups {@code organizations}.
     *
     * @return the certificate PEM and the key PEM
     */
    public List<String> issueEd25519Client(String commonName, List<String> organizations) {
        Issued issued = clientCa.issueClient(commonName, organizations, KeyType.ED25519);
        return List.of(Pem.certificates(issued.certificate()), Pem.privateKey(issued.keys()));
    }

    /** The {@code kube-apiserver} flags naming these files: client CA, serving pair, ServiceAccount keys and issuer. */
    public List<String> apiServerFlags() {
        return apiServerFlags;
    }

    /** Writes files readable by their owner only, as both distributions do for keys. */
    private record PemFiles(Path dir) {
        String write(String name, String pem) {
            Path file = dir.resolve(name);
            try {
                Files.writeString(file, pem, StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return pem;
        }
    }
}
