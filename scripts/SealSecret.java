// Seals one secret env value for a Windlass deploy request on Kafka, with nothing but a JDK (11 or later):
//
//   printf %s "$DB_PASSWORD" | WINDLASS_TOKEN="$TOKEN" java scripts/SealSecret.java https://windlass.example.com/api/sealing-keys
//   printf %s "$DB_PASSWORD" | java scripts/SealSecret.java sealing-keys.json
//
// Through the gateway the key is read with any signed-in caller's access token (WINDLASS_TOKEN); the deployer itself
// serves it to anyone.
//
// The value is read from standard input (never from the command line, where other users of the machine can see it);
// the JWE compact serialization is printed on standard output, ready for spec.secretEnv.<NAME>. The key is the
// first key of the JWK set (GET /api/sealing-keys publishes exactly one, the active one). A fresh AES-256 key seals the
// value (A256GCM) and is itself sealed to that key: for an X25519 (RFC 8037) or P-256 key by ECDH-ES+A256KW (an
// ephemeral key pair, the Concat KDF, AES key wrap), for an RSA key by RSA-OAEP-256; as RFC 7516 and RFC 7518 define
// them.

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

public class SealSecret {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: printf %s \"$VALUE\" | java SealSecret.java <sealing-keys URL or JWK set file>");
            System.exit(2);
        }
        String jwks = args[0].startsWith("http://") || args[0].startsWith("https://")
                ? fetch(args[0])
                : Files.readString(Path.of(args[0]));
        String key = firstKey(jwks);
        byte[] value = readAll();
        System.out.println(seal(value, key));
    }

    /** {@code plaintext} sealed to the JWK {@code key}: a JWE compact serialization. */
    static String seal(byte[] plaintext, String key) throws Exception {
        String kid = member(key, "kid");
        SecureRandom random = new SecureRandom();
        byte[] cek = new byte[32];
        random.nextBytes(cek);
        byte[] iv = new byte[12];
        random.nextBytes(iv);

        String header;
        byte[] wrappedKey;
        String kty = member(key, "kty");
        if (kty.equals("RSA")) {
            header = "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\"}";
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(unsigned(member(key, "n")), unsigned(member(key, "e"))));
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(
                    Cipher.ENCRYPT_MODE,
                    publicKey,
                    new OAEPParameterSpec(
                            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            wrappedKey = rsa.doFinal(cek);
        } else if (kty.equals("OKP") || kty.equals("EC")) {
            KeyPair ephemeral;
            byte[] shared;
            String epk;
            if (kty.equals("OKP")) {
                if (!"X25519".equals(member(key, "crv"))) {
                    throw new IllegalArgumentException("the sealing key's curve is not X25519");
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
                ephemeral = generator.generateKeyPair();
                PublicKey recipient = KeyFactory.getInstance("X25519")
                        .generatePublic(new XECPublicKeySpec(
                                NamedParameterSpec.X25519, littleEndian(member(key, "x"))));
                shared = agree("X25519", ephemeral, recipient);
                epk = "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\""
                        + B64URL.encodeToString(
                                littleEndian(((XECPublicKey) ephemeral.getPublic()).getU(), 32))
                        + "\"}";
            } else {
                if (!"P-256".equals(member(key, "crv"))) {
                    throw new IllegalArgumentException("the sealing key's curve is not P-256");
                }
                AlgorithmParameters curve = AlgorithmParameters.getInstance("EC");
                curve.init(new ECGenParameterSpec("secp256r1"));
                ECParameterSpec p256 = curve.getParameterSpec(ECParameterSpec.class);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(p256);
                ephemeral = generator.generateKeyPair();
                PublicKey recipient = KeyFactory.getInstance("EC")
                        .generatePublic(new ECPublicKeySpec(
                                new ECPoint(unsigned(member(key, "x")), unsigned(member(key, "y"))), p256));
                shared = agree("ECDH", ephemeral, recipient);
                ECPoint point = ((ECPublicKey) ephemeral.getPublic()).getW();
                epk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                        + B64URL.encodeToString(bigEndian(point.getAffineX(), 32)) + "\",\"y\":\""
                        + B64URL.encodeToString(bigEndian(point.getAffineY(), 32)) + "\"}";
            }
            String alg = "ECDH-ES+A256KW";
            header = "{\"alg\":\"" + alg + "\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\",\"epk\":" + epk
                    + "}";
            Cipher wrap = Cipher.getInstance("AESWrap");
            wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(concatKdf(shared, alg), "AES"));
            wrappedKey = wrap.wrap(new SecretKeySpec(cek, "AES"));
        } else {
            throw new IllegalArgumentException("the sealing key is neither OKP, EC nor RSA");
        }
        String encodedHeader = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8));

        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, iv));
        aes.updateAAD(encodedHeader.getBytes(StandardCharsets.US_ASCII));
        byte[] sealed = aes.doFinal(plaintext);
        byte[] ciphertext = Arrays.copyOfRange(sealed, 0, sealed.length - 16);
        byte[] tag = Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
        return encodedHeader + "." + B64URL.encodeToString(wrappedKey) + "." + B64URL.encodeToString(iv) + "."
                + B64URL.encodeToString(ciphertext) + "." + B64URL.encodeToString(tag);
    }

    private static String fetch(String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        String token = System.getenv("WINDLASS_TOKEN");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The first object of the "keys" array; JWK members are flat strings, so no JSON library is needed. */
    private static String firstKey(String jwks) {
        int keys = jwks.indexOf("\"keys\"");
        int start = keys < 0 ? -1 : jwks.indexOf('{', keys);
        int end = start < 0 ? -1 : jwks.indexOf('}', start);
        if (end < 0) {
            throw new IllegalArgumentException("not a JWK set with a key");
        }
        return jwks.substring(start, end + 1);
    }

    private static String member(String object, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(object);
        if (!m.find()) {
            throw new IllegalArgumentException("the sealing key has no " + name);
        }
        return m.group(1);
    }

    private static BigInteger unsigned(String base64url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
    }

    private static byte[] agree(String algorithm, KeyPair ephemeral, PublicKey recipient) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance(algorithm);
        agreement.init(ephemeral.getPrivate());
        agreement.doPhase(recipient, true);
        return agreement.generateSecret();
    }

    /**
     * The key-encryption key from the shared secret: RFC 7518's Concat KDF with SHA-256 for a 256-bit key, the
     * algorithm's name as AlgorithmID and empty PartyUInfo and PartyVInfo (one round of the hash is enough).
     */
    private static byte[] concatKdf(byte[] shared, String alg) throws Exception {
        byte[] algorithmId = alg.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer input = ByteBuffer.allocate(4 + shared.length + 4 + algorithmId.length + 4 + 4 + 4);
        input.putInt(1).put(shared).putInt(algorithmId.length).put(algorithmId).putInt(0).putInt(0).putInt(256);
        return MessageDigest.getInstance("SHA-256").digest(input.array());
    }

    /** An X25519 coordinate of the JWK (little-endian bytes, RFC 7748) as a number. */
    private static BigInteger littleEndian(String base64url) {
        byte[] bytes = Base64.getUrlDecoder().decode(base64url);
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, reversed);
    }

    private static byte[] littleEndian(BigInteger value, int length) {
        byte[] big = bigEndian(value, length);
        byte[] little = new byte[length];
        for (int i = 0; i < length; i++) {
            little[i] = big[length - 1 - i];
        }
        return little;
    }

    /** {@code value} as exactly {@code length} unsigned big-endian bytes. */
    private static byte[] bigEndian(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    private static byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.in.transferTo(out);
        return out.toByteArray();
    }
}
