package dev.windlass.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** PEM parsing with Bouncy Castle: certificates, private keys, and whether a key belongs to a certificate. */
public final class Pem {

    private Pem() {}

    /** Why a PEM text is not usable; the message never quotes the PEM. */
    public static final class PemException extends Exception {
        private final String rule;

        PemException(String rule, String message) {
            super(message);
            this.rule = rule;
        }

        /** The validation rule broken: {@code pem-unreadable} or {@code encrypted-key-unsupported}. */
        public String rule() {
            return rule;
        }
    }

    /** Every certificate in the text, in order; at least one, and nothing else. */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new PemException("pem-unreadable", "expected only CERTIFICATE blocks");
                }
                certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new PemException("pem-unreadable", "not a readable PEM certificate");
        }
        if (certificates.isEmpty()) {
            throw new PemException("pem-unreadable", "no PEM CERTIFICATE block found");
        }
        return certificates;
    }

    /** The one private key in the text (PKCS#1, SEC1 or unencrypted PKCS#8). */
    public static PrivateKey privateKey(String pem) throws PemException {
        Object keyObject = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new PemException(
                            "encrypted-key-unsupported", "the private key is encrypted; provide it unencrypted");
                }
                if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo) {
                    if (keyObject != null) {
                        throw new PemException("pem-unreadable", "expected exactly one private key");
                    }
                    keyObject = object;
                }
                // other blocks (EC PARAMETERS, say) are ignored
            }
            if (keyObject == null) {
                throw new PemException("pem-unreadable", "no PEM private key found");
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return keyObject instanceof PEMKeyPair pair
                    ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                    : converter.getPrivateKey((PrivateKeyInfo) keyObject);
        } catch (PemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PemException("pem-unreadable", "not a readable PEM private key");
        }
    }

    /** Whether {@code key} is the private half of the certificate's public key: it signs, the certificate verifies. */
    public static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null || !sameFamily(publicKey, key)) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sameFamily(PublicKey publicKey, PrivateKey key) {
        String a = family(publicKey.getAlgorithm());
        String b = family(key.getAlgorithm());
        return a.equals(b);
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "EC", "ECDSA" -> "EC";
            case "Ed25519", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (family(key.getAlgorithm())) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "Ed25519";
            default -> null;
        };
    }
}
