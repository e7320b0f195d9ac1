package dev.windlass.devstack;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate authority issuing serving and client certificates with the fields
 * Kubernetes' {@code certutil} gives them: CA valid ten years, leaves one year from the CA's start,
 * key usage digital signature + key encipherment, one extended key usage.
 */
final class CertificateAuthority {

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key types the distributions use. */
    enum KeyType {
        /** ECDSA on P-256, signing with SHA-256 (k3s). */
        EC_P256("SHA256withECDSA"),
        /** RSA 2048, signing with SHA-256 (kubeadm). */
        RSA_2048("SHA256withRSA"),
        /** Ed25519 (no distribution issues it by default; clusters with a CA of their own may). */
        ED25519("Ed25519");

        private final String signatureAlgorithm;

        KeyType(String signatureAlgorithm) {
            this.signatureAlgorithm = signatureAlgorithm;
        }

        KeyPair generate() {
            try {
                if (this == ED25519) {
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                }
                if (this == EC_P256) {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    return generator.generateKeyPair();
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A certificate issued by this CA and its key pair. */
    record Issued(X509Certificate certificate, KeyPair keys) {}

    private final KeyType keyType;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyType keyType, KeyPair keys, X509Certificate certificate) {
        this.keyType = keyType;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new CA named {@code commonName}, with a key of {@code keyType}. */
    static CertificateAuthority create(String commonName, KeyType keyType) {
        KeyPair keys = keyType.generate();
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = name(commonName, List.of());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, serial(), Date.from(notBefore), Date.from(notBefore.plus(CA_VALIDITY)), name, keys.getPublic());
        try {
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions().createSubjectKeyIdentifier(keys.getPublic()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new CertificateAuthority(keyType, keys, sign(builder, keys, keyType));
    }

    /** A serving certificate for the DNS names and IP addresses given. */
    Issued issueServing(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        GeneralNames alternativeNames = new GeneralNames(Stream.concat(
                        dnsNames.stream().map(dns -> new GeneralName(GeneralName.dNSName, dns)),
                        ipAddresses.stream().map(ip -> new GeneralName(GeneralName.iPAddress, ip)))
                .toArray(GeneralName[]::new));
        return issue(commonName, List.of(), KeyPurposeId.id_kp_serverAuth, alternativeNames, keyType);
    }

    /** A client certificate: user {@code commonName}, groups {@code organizations}. */
    Issued issueClient(String commonName, List<String> organizations) {
        return issueClient(commonName, organizations, keyType);
    }

    /** A client certificate whose own key is of {@code leafKeyType}, signed with this CA's key. */
    Issued issueClient(String commonName, List<String> organizations, KeyType leafKeyType) {
        return issue(commonName, organizations, KeyPurposeId.id_kp_clientAuth, null, leafKeyType);
    }

    /** The CA's own certificate. */
    X509Certificate certificate() {
        return certificate;
    }

    /** The CA's key pair. */
    KeyPair keys() {
        return keys;
    }

    private Issued issue(
            String commonName,
            List<String> organizations,
            KeyPurposeId purpose,
            GeneralNames alternativeNames,
            KeyType leafKeyType) {
        KeyPair leafKeys = leafKeyType.generate();
        Instant notBefore = certificate.getNotBefore().toInstant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                certificate,
                serial(),
                Date.from(notBefore),
                Date.from(notBefore.plus(LEAF_VALIDITY)),
                name(commonName, organizations),
                leafKeys.getPublic());
        try {
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    extensions().createAuthorityKeyIdentifier(keys.getPublic()));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(sign(builder, keys, keyType), leafKeys);
    }

    /** Organization before common name, as Go orders a subject's attributes. */
    private static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> name.addRDN(BCStyle.O, o));
        return name.addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static JcaX509ExtensionUtils extensions() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer, KeyType keyType) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder(keyType.signatureAlgorithm).build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a certificate", e);
        }
    }
}
