package dev.windlass.cluster;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Keys and self-signed certificates in the PEM forms clusters hand out. */
final class TestKeys {

    private TestKeys() {}

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /**
     * PKCS#1 for RSA ({@code RSA PRIVATE KEY}) as kubeadm writes it; SEC1 for EC ({@code EC PRIVATE KEY}) with the
     * curve and the public key, as k3s (Go's {@code x509.MarshalECPrivateKey}) and openssl write it.
     */
    static String traditionalPem(KeyPair pair) throws Exception {
        if (pair.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec) {
            var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(ec.getEncoded());
            var publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                    pair.getPublic().getEncoded());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ec.getParams().getOrder().bitLength(),
                    ec.getS(),
                    publicKey.getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem("EC PRIVATE KEY", sec1.getEncoded());
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaMiscPEMGenerator(pair.getPrivate()));
        }
        return out.toString();
    }

    private static String pem(String type, byte[] der) throws Exception {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** Unencrypted PKCS#8 ({@code PRIVATE KEY}). */
    static String pkcs8Pem(KeyPair pair) throws Exception {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** A self-signed certificate of {@code pair}, valid until {@code notAfter}. */
    static String certificatePem(KeyPair pair, Instant notAfter) throws Exception {
        String algorithm = switch (pair.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withECDSA";
        };
        X500Name subject = new X500Name("CN=system:admin,O=system:masters");
        var holder = new JcaX509v3CertificateBuilder(
                        subject,
                        BigInteger.valueOf(System.nanoTime()),
                        java.util.Date.from(Instant.now().minus(1, ChronoUnit.HOURS)),
                        java.util.Date.from(notAfter),
                        subject,
                        pair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(holder);
        }
        return out.toString();
    }
}
