package dev.windlass.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.DevStack;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Access tokens of every shape the gateway must refuse, built from the dev issuer's real claims and key. */
public final class Tokens {

    private Tokens() {}

    private static AuthentikIssuer issuer() {
        return DevStack.oidc();
    }

    /** The claims of a deployer's access token, as the issuer mints them. */
    public static Map<String, Object> deployerClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "deployer");
        claims.put("preferred_username", "deployer");
        claims.put("email", "deployer@windlass.test");
        claims.put("groups", List.of("windlass-deployers"));
        claims.put("aud", AuthentikIssuer.CLIENT_ID);
        claims.put("azp", AuthentikIssuer.CLIENT_ID);
        return claims;
    }

    /** A well-formed deployer token with {@code changes} on top (a null value drops a claim). */
    public static String signed(Map<String, Object> changes, Duration ttl) {
        Map<String, Object> claims = deployerClaims();
        claims.putAll(changes);
        return issuer().token(claims, ttl);
    }

    public static String expired() {
        return signed(Map.of(), Duration.ofMinutes(-5));
    }

    /** Valid only from an hour from now. */
    public static String notYetValid() {
        long inAnHour = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        return signed(Map.of("nbf", inAnHour, "iat", inAnHour), Duration.ofHours(2));
    }

    public static String wrongIssuer() {
        return signed(Map.of("iss", "http://127.0.0.1:1/application/o/elsewhere"), Duration.ofMinutes(5));
    }

    public static String wrongAudience() {
        return signed(Map.of("aud", "another-application", "azp", "another-application"), Duration.ofMinutes(5));
    }

    /** Authentik's ID token shape: the access token's claims plus the sign-in's {@code nonce} and {@code at_hash}. */
    public static String idToken() {
        return signed(Map.of("nonce", "n-0S6_WzA2Mj", "at_hash", "77QmUPtjPfzWtF2AnpK9RQ"), Duration.ofMinutes(5));
    }

    /** The deployer's claims, unsigned ({@code alg: none}). */
    public static String algNone() {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        return header + "." + payload() + ".";
    }

    /** The deployer's claims signed HS256 with the client secret, as an Authentik provider without key does. */
    public static String hs256WithClientSecret() {
        String header = Base64URL.encode(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + issuer().signingKeyId() + "\"}")
                .toString();
        String input = header + "." + payload();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(AuthentikIssuer.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A real token whose payload was changed after signing (a viewer promoting itself to admin). */
    public static String badSignature() {
        String[] parts =
                issuer().accessToken("viewer", List.of("windlass-viewers")).split("\\.");
        String payload = Base64URL.from(parts[1]).decodeToString().replace("windlass-viewers", "windlass-admins");
        return parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];
    }

    /** The right claims signed by a key the issuer never published, under a {@code kid} it does not know. */
    public static String unknownKid() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("not-a-windlass-key").generate();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .build(),
                    claimsSet());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String payload() {
        return Base64URL.encode(claimsSet().toString()).toString();
    }

    private static JWTClaimsSet claimsSet() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer().issuer())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        deployerClaims().forEach(builder::claim);
        return builder.build();
    }
}
