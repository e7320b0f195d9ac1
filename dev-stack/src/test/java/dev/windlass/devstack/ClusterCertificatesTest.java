package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificates are shaped as k3s and kubeadm issue them; the servers' tests check they work. */
class ClusterCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void k3sHasSeparateEcServerAndClientCasAndSec1Keys() throws Exception {
        ClusterCertificates k3s = ClusterCertificates.generate(ClusterShape.K3S, dir);

        X509Certificate serverCa = single(k3s.serverCaPem());
        assertThat(serverCa.getSubjectX500Principal().getName()).matches("CN=k3s-server-ca@\\d{10}");
        assertThat(p256(serverCa)).isTrue();
        assertThat(serverCa.getBasicConstraints()).isGreaterThanOrEqualTo(0);

        List<X509Certificate> admin = Pem.parseCertificates(k3s.adminCertPem());
        assertThat(admin).hasSize(2); // the leaf, then the client CA, as k3s writes client-admin.crt
        assertThat(admin.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=system:admin,O=system:masters");
        assertThat(admin.get(0).getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(admin.get(1).getSubjectX500Principal().getName())
                .isEqualTo(serverCa.getSubjectX500Principal().getName().replace("server", "client"));
        assertThat(p256(admin.get(0))).isTrue();
        admin.get(0).verify(admin.get(1).getPublicKey());
        assertThatThrownBy(() -> admin.get(0).verify(serverCa.getPublicKey())).isNotNull();

        PemObject key = pem(k3s.adminKeyPem());
        assertThat(key.getType()).isEqualTo("EC PRIVATE KEY");
        ECPrivateKey sec1 = ECPrivateKey.getInstance(key.getContent());
        assertThat(sec1.getParametersObject()).isEqualTo(SECObjectIdentifiers.secp256r1);
        assertThat(sec1.getPublicKey()).isNotNull();

        List<X509Certificate> serving =
                Pem.parseCertificates(Files.readString(dir.resolve("serving-kube-apiserver.crt")));
        assertThat(serving.get(0).getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .contains(
                        (Object) "127.0.0.1",
                        "localhost",
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc");
        serving.get(0).verify(serverCa.getPublicKey());
        assertThat(pem(Files.readString(dir.resolve("service.key"))).getType()).isEqualTo("RSA PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client-ca.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void kubeadmHasOneRsaCaAndPkcs1Keys() throws Exception {
        ClusterCertificates kubeadm = ClusterCertificates.generate(ClusterShape.KUBEADM, dir);

        X509Certificate ca = single(kubeadm.serverCaPem());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=kubernetes");
        assertThat(((RSAPublicKey) ca.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);

        X509Certificate admin = single(kubeadm.adminCertPem());
        assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=kubernetes-admin,O=system:masters");
        assertThat(admin.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        admin.verify(ca.getPublicKey());

        PemObject key = pem(kubeadm.adminKeyPem());
        assertThat(key.getType()).isEqualTo("RSA PRIVATE KEY");
        assertThat(RSAPrivateKey.getInstance(key.getContent()).getModulus())
                .isEqualTo(((RSAPublicKey) admin.getPublicKey()).getModulus());

        X509Certificate serving = single(Files.readString(dir.resolve("apiserver.crt")));
        assertThat(serving.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .contains(
                        (Object) "127.0.0.1",
                        "localhost",
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc");
        assertThat(pem(Files.readString(dir.resolve("sa.pub"))).getType()).isEqualTo("PUBLIC KEY");
        assertThat(kubeadm.apiServerFlags())
                .containsSubsequence("--client-ca-file", dir.resolve("ca.crt").toString());
    }

    private static X509Certificate single(String pem) {
        List<X509Certificate> certificates = Pem.parseCertificates(pem);
        assertThat(certificates).hasSize(1);
        return certificates.get(0);
    }

    private static boolean p256(X509Certificate certificate) {
        return certificate.getPublicKey() instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256
                && certificate.getSigAlgName().equals("SHA256withECDSA");
    }

    private static PemObject pem(String text) throws Exception {
        try (PemReader reader = new PemReader(new java.io.StringReader(text))) {
            return reader.readPemObject();
        }
    }
}
