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
// first key of the JWK set (GET /api/sealing-keys publishes exactly one, the active one): RSA-OAEP-256 wraps a fresh
// AES-256 key, A256GCM seals the value, as RFC 7516 and RFC 7518 define them.

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
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
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
        String kid = member(key, "kid");
        if (!"RSA".equals(member(key, "kty"))) {
            throw new IllegalArgumentException("the sealing key is not an RSA key");
        }
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(unsigned(member(key, "n")), unsigned(member(key, "e"))));
        byte[] value = readAll();
        System.out.println(seal(value, kid, publicKey));
    }

    static String seal(byte[] plaintext, String kid, PublicKey key) throws Exception {
        String header = "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"" + kid + "\"}";
        String encodedHeader = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8));
        SecureRandom random = new SecureRandom();
        byte[] cek = new byte[32];
        random.nextBytes(cek);
        byte[] iv = new byte[12];
        random.nextBytes(iv);

        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(
                Cipher.ENCRYPT_MODE,
                key,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] wrappedKey = rsa.doFinal(cek);

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

    private static byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.in.transferTo(out);
        return out.toByteArray();
    }
}
