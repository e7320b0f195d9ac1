package dev.windlass.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Claims and signatures of the tokens Authentik's OAuth2 provider issues (checked against its source, see
 * docs/security.md "Tokens as Authentik issues them"): an ID token is the sign-in's claims; the access token is the
 * same claims plus {@code azp}, a random {@code uid} and {@code scope}. Neither has {@code jti} or {@code nbf}; a
 * code-flow ID token has no {@code at_hash}.
 */
final class AuthentikTokens {

    /** Authentik's {@code acr} for every token of an OAuth2 provider. */
    static final String ACR = "goauthentik.io/providers/oauth2/default";

    /** Stands in for Authentik's install id, which salts the hashed user id. */
    static final String INSTALL_ID = "windlass-dev-install";

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A user of the dev issuer: the fields Authentik's default scope mappings read. */
    record Account(String username, String name, String email, List<String> groups) {

        Account {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        /** Authentik's default subject mode {@code hashed_user_id}: SHA-256 of the user's id and the install id. */
        String subject() {
            return subjectOf(username);
        }
    }

    /** What one sign-in (or client-credentials grant) granted: who, to which client, which scopes. */
    record Grant(Account account, String clientId, List<String> scope, String nonce, Instant authTime) {

        Grant {
            scope = scope.stream().distinct().toList();
        }
    }

    private final Supplier<RSAKey> key;
    private final Duration ttl;

    AuthentikTokens(Supplier<RSAKey> key, Duration ttl) {
        this.key = key;
        this.ttl = ttl;
    }

    static String subjectOf(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((username + "-" + INSTALL_ID).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random id as Authentik's {@code generate_id}: 40 letters and digits. */
    static String randomId() {
        StringBuilder id = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    /** The ID token's claims: Authentik's {@code IDToken.new} with the default scope mappings' user claims. */
    Map<String, Object> idTokenClaims(String issuer, Grant grant) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", grant.account().subject());
        claims.put("aud", grant.clientId());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("auth_time", grant.authTime().getEpochSecond());
        claims.put("acr", ACR);
        if (grant.nonce() != null) {
            claims.put("nonce", grant.nonce());
        }
        if (grant.scope().contains("email") && grant.account().email() != null) {
            claims.put("email", grant.account().email());
            claims.put("email_verified", false);
        }
        if (grant.scope().contains("profile")) {
            claims.put("name", grant.account().name());
            claims.put("given_name", grant.account().name());
            claims.put("preferred_username", grant.account().username());
            claims.put("nickname", grant.account().username());
            claims.put("groups", grant.account().groups());
        }
        return claims;
    }

    /** The access token's claims: the ID token's plus {@code azp} (the client id), {@code uid} and {@code scope}. */
    Map<String, Object> accessTokenClaims(String issuer, Grant grant) {
        Map<String, Object> claims = idTokenClaims(issuer, grant);
        claims.put("azp", grant.clientId());
        claims.put("uid", randomId());
        claims.put("scope", String.join(" ", grant.scope()));
        return claims;
    }

    /** Signs {@code claims} RS256 with the issuer's current key, header {@code kid} and {@code typ: JWT}. */
    String sign(Map<String, Object> claims) {
        RSAKey current = key.get();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(current.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    JWTClaimsSet.parse(claims));
            jwt.sign(new RSASSASigner(current));
            return jwt.serialize();
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
