package dev.windlass.registry.support;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Freshly generated keys and self-signed certificates, as PEM. */
public final class TestPki {

    /** A self-signed certificate and its private key. */
    public record Pair(String certificatePem, String keyPem) {}

    private TestPki() {}

    /** A self-signed RSA CA certificate and key. */
    public static Pair selfSignedRsa(String commonName) {
        return selfSigned(commonName, rsa(), "SHA256withRSA");
    }

    /** A self-signed EC (P-256) certificate and key. */
    public static Pair selfSignedEc(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return selfSigned(commonName, generator.generateKeyPair(), "SHA256withECDSA");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed Ed25519 certificate and key (PKCS#8). */
    public static Pair selfSignedEd25519(String commonName) {
        try {
            return selfSigned(
                    commonName, KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), "Ed25519");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed Ed448 certificate and key (PKCS#8). */
    public static Pair selfSignedEd448(String commonName) {
        try {
            return selfSigned(commonName, KeyPairGenerator.getInstance("Ed448").generateKeyPair(), "Ed448");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Pair selfSigned(String commonName, KeyPair keys, String signatureAlgorithm) {
        try {
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(1))),
                    name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
            // RSA keys as PKCS#1 ("RSA PRIVATE KEY"), EC keys as PKCS#8 ("PRIVATE KEY"): both formats in use
            Object key = keys.getPrivate().getAlgorithm().equals("RSA")
                    ? keys.getPrivate()
                    : new JcaPKCS8Generator(keys.getPrivate(), null).generate();
            return new Pair(pem(holder), pem(key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) throws java.io.IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
