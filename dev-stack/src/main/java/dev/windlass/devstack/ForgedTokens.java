package dev.windlass.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens of every shape Windlass must refuse, forged from the claims of one caller and the dev issuer's real
 * key, next to a {@link #valid() valid} token of the same shape as the control. Shared by the token-matrix tests of
 * the gateway and of both services, so that each refuses exactly the same forgeries.
 */
public final class ForgedTokens {

    /** The forgeries, each refused as a bearer access token at the gateway and at every service. */
    public enum Kind {
        EXPIRED("expired", ForgedTokens::expired),
        NOT_YET_VALID("not yet valid", ForgedTokens::notYetValid),
        WRONG_ISSUER("wrong issuer", ForgedTokens::wrongIssuer),
        WRONG_AUDIENCE("wrong audience", ForgedTokens::wrongAudience),
        ALG_NONE("alg none", ForgedTokens::algNone),
        HS256_WITH_CLIENT_SECRET("HS256 with the client secret", ForgedTokens::hs256WithClientSecret),
        BAD_SIGNATURE("bad signature", ForgedTokens::badSignature),
        UNKNOWN_KID("unknown kid", ForgedTokens::unknownKid),
        ID_TOKEN("ID token with at_hash as access token", ForgedTokens::idToken),
        ISSUED_ID_TOKEN("ID token of a real sign-in as access token", ForgedTokens::issuedIdToken),
        OTHER_APPLICATION("access token of another application of the same Authentik", ForgedTokens::otherApplication),
        NOT_A_JWT("not a JWT", tokens -> "opaque-token-value");

        private final String description;
        private final Function<ForgedTokens, String> forge;

        Kind(String description, Function<ForgedTokens, String> forge) {
            this.description = description;
            this.forge = forge;
        }

        /** A fresh token of this kind for the caller of {@code tokens}. */
        public String forge(ForgedTokens tokens) {
            return forge.apply(tokens);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** The {@code at_hash} of the forged ID token: any value marks an ID token. */
    public static final String AT_HASH = "77QmUPtjPfzWtF2AnpK9RQ";

    /** Slug of the other application on the same Authentik, for {@link Kind#OTHER_APPLICATION}. */
    public static final String OTHER_APPLICATION = "other";

    /** The claims only Authentik's access tokens carry; its ID tokens have the rest. */
    public static final List<String> ACCESS_TOKEN_ONLY_CLAIMS = List.of("azp", "uid", "scope");

    private static final Duration TTL = Duration.ofMinutes(5);

    private final AuthentikIssuer issuer;
    private final Map<String, Object> claims;
    private final Supplier<String> issuedIdToken;

    private ForgedTokens(AuthentikIssuer issuer, Map<String, Object> claims, Supplier<String> issuedIdToken) {
        this.issuer = issuer;
        this.claims = Map.copyOf(claims);
        this.issuedIdToken = issuedIdToken;
    }

    /** Forgeries of a dev user's access token, as the login of that user through the browser client yields. */
    public static ForgedTokens of(AuthentikIssuer issuer, DevUser user) {
        return new ForgedTokens(
                issuer,
                issuer.accessTokenClaims(user),
                () -> issuer.signIn(user).idToken());
    }

    /** Forgeries of the service account's client-credentials token (role {@code service}). */
    public static ForgedTokens ofService(AuthentikIssuer issuer) {
        return new ForgedTokens(
                issuer,
                issuer.serviceTokenClaims(),
                () -> issuer.serviceTokens().idToken());
    }

    /** The caller's claims without {@code iss} and times. */
    public Map<String, Object> claims() {
        return claims;
    }

    /** The control: the same claims, signed by the issuer's current key and valid for five minutes. */
    public String valid() {
        return signed(Map.of(), TTL);
    }

    /** A token signed by the issuer with {@code changes} on top of the caller's claims (a null value drops one). */
    public String signed(Map<String, Object> changes, Duration ttl) {
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.putAll(changes);
        return issuer.token(all, ttl);
    }

    /** Expired five minutes ago. */
    public String expired() {
        return signed(Map.of(), Duration.ofMinutes(-5));
    }

    /** Valid only from an hour from now ({@code nbf} and {@code iat} in the future). */
    public String notYetValid() {
        long inAnHour = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        return signed(Map.of("nbf", inAnHour, "iat", inAnHour), Duration.ofHours(2));
    }

    /** Signed by the right key, but naming another issuer. */
    public String wrongIssuer() {
        return signed(Map.of("iss", "http://127.0.0.1:1/application/o/elsewhere"), TTL);
    }

    /** Signed by the right key, but for another application. */
    public String wrongAudience() {
        return signed(Map.of("aud", "another-application", "azp", "another-application"), TTL);
    }

    /**
     * An ID token of the same sign-in as Authentik builds one next to a refresh token (or with the implicit flow): the
     * access token's claims without those only access tokens carry, plus a {@code nonce} and an {@code at_hash} — same
     * key, issuer, audience and {@code typ: JWT}.
     */
    public String idToken() {
        Map<String, Object> changes = new HashMap<>();
        ACCESS_TOKEN_ONLY_CLAIMS.forEach(claim -> changes.put(claim, null));
        changes.put("nonce", "n-0S6_WzA2Mj");
        changes.put("at_hash", AT_HASH);
        return signed(changes, TTL);
    }

    /**
     * The ID token the dev issuer really issues to this caller — from a code-flow sign-in for a user (no
     * {@code at_hash}, as Authentik's token endpoint), from the client-credentials answer for the service account.
     */
    public String issuedIdToken() {
        return issuedIdToken.get();
    }

    /**
     * An access token of another application on the same Authentik: same host and signing key, but the issuer path
     * {@code /application/o/other/} and that application's client id as {@code aud} and {@code azp}.
     */
    public String otherApplication() {
        return signed(
                Map.of(
                        "iss", issuer.issuerOf(OTHER_APPLICATION),
                        "aud", OTHER_APPLICATION,
                        "azp", OTHER_APPLICATION),
                TTL);
    }

    /** The claims unsigned ({@code alg: none}, empty signature). */
    public String algNone() {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        return header + "." + payload() + ".";
    }

    /** The claims signed HS256 with the client secret, as an Authentik provider without signing key signs. */
    public String hs256WithClientSecret() {
        String header = Base64URL.encode(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + issuer.signingKeyId() + "\"}")
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

    /**
     * A valid token whose payload was changed after signing: the caller adds the admin and services groups to its own
     * (a viewer promoting itself), keeping the issuer's signature.
     */
    public String badSignature() {
        String[] parts = valid().split("\\.");
        try {
            Map<String, Object> payload =
                    JSONObjectUtils.parse(Base64URL.from(parts[1]).decodeToString());
            List<Object> groups = new ArrayList<>(JSONObjectUtils.getStringList(payload, "groups"));
            groups.add("windlass-admins");
            groups.add(AuthentikIssuer.SERVICES_GROUP);
            payload.put("groups", groups);
            return parts[0] + "." + Base64URL.encode(JSONObjectUtils.toJSONString(payload)) + "." + parts[2];
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The right claims signed by an RSA key the issuer never published, under a {@code kid} it does not know. */
    public String unknownKid() {
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

    private String payload() {
        return Base64URL.encode(claimsSet().toString()).toString();
    }

    private JWTClaimsSet claimsSet() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer.issuer())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TTL)));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
