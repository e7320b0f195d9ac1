package dev.windlass.devstack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM encodings as Go's crypto/x509 writes them: certificates, SEC1 EC keys, PKCS#1 RSA keys. */
final class Pem {

    private Pem() {}

    /** The certificates, one {@code CERTIFICATE} block each, in order. */
    static String certificates(X509Certificate... certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return pem.toString();
    }

    /**
     * The private key in its traditional form: {@code EC PRIVATE KEY} (SEC1, with the P-256 curve
     * and the public key, as {@code x509.MarshalECPrivateKey}) or {@code RSA PRIVATE KEY} (PKCS#1);
     * any other key as {@code PRIVATE KEY} (PKCS#8).
     */
    static String privateKey(KeyPair keys) {
        try {
            if (keys.getPrivate() instanceof ECPrivateKey ec) {
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        256,
                        ec.getS(),
                        SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
                                .getPublicKeyData(),
                        SECObjectIdentifiers.secp256r1);
                return encode("EC PRIVATE KEY", sec1.getEncoded());
            }
            if (keys.getPrivate() instanceof RSAPrivateKey) {
                byte[] pkcs1 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded())
                        .parsePrivateKey()
                        .toASN1Primitive()
                        .getEncoded();
                return encode("RSA PRIVATE KEY", pkcs1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // other keys (Ed25519) have no traditional form: PKCS#8, as openssl genpkey writes them
        return encode("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** The public key as {@code PUBLIC KEY} (PKIX), as kubeadm writes {@code sa.pub}. */
    static String publicKey(KeyPair keys) {
        return encode("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    /** Every certificate in a PEM bundle, in order. */
    static List<X509Certificate> parseCertificates(String pem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate bundle", e);
        }
    }

    private static String encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
