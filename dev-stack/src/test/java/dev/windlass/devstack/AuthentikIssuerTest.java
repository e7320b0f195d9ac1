package dev.windlass.devstack;

import static dev.windlass.devstack.AuthentikIssuer.CLIENT_ID;
import static dev.windlass.devstack.AuthentikIssuer.CLIENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthentikIssuerTest {

    private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static AuthentikIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = AuthentikIssuer.create(0).start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void discoveryDocumentDescribesTheIssuer() throws Exception {
        Map<String, Object> discovery = json(get(issuer.discoveryUrl()).body());

        // Authentik's issuer ends with a slash (OAuth2Provider.get_issuer: "/application/o/<slug>/")
        assertThat(issuer.issuer()).isEqualTo("http://127.0.0.1:" + issuer.port() + "/application/o/windlass/");
        assertThat(discovery)
                .containsEntry("issuer", issuer.issuer())
                .containsEntry("jwks_uri", issuer.jwksUrl())
                .containsEntry("token_endpoint", issuer.tokenEndpoint())
                .containsEntry("authorization_endpoint", issuer.authorizationEndpoint())
                .containsEntry("end_session_endpoint", issuer.issuer() + "endsession");
        // clients that join the issuer and a path with a slash of their own still reach the issuer
        assertThat(json(get(issuer.issuer() + "/.well-known/openid-configuration")
                        .body()))
                .containsEntry("issuer", issuer.issuer());
        assertThat(JSONObjectUtils.getStringList(discovery, "id_token_signing_alg_values_supported"))
                .contains("RS256");
        assertThat(JSONObjectUtils.getStringList(discovery, "code_challenge_methods_supported"))
                .contains("S256");

        JWK key = jwks(issuer).getKeys().get(0);
        assertThat(key.getKeyID()).isEqualTo(issuer.signingKeyId());
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.isPrivate()).isFalse();
    }

    @Test
    void userTokenVerifiesAgainstTheJwksAndCarriesAuthentikClaims() throws Exception {
        String token = issuer.accessToken(DevUser.DEPLOYER);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.signingKeyId());

        JWTClaimsSet claims = verify(issuer, token);
        assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
        assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
        assertThat(claims.getStringClaim("azp")).isEqualTo(CLIENT_ID);
        assertThat(claims.getStringClaim("uid")).hasSize(40);
        assertThat(claims.getStringClaim("scope")).isEqualTo(AuthentikIssuer.SCOPES);
        assertThat(claims.getStringClaim("acr")).isEqualTo("goauthentik.io/providers/oauth2/default");
        assertThat(claims.getSubject())
                .isEqualTo(AuthentikIssuer.subjectOf("deployer"))
                .hasSize(64);
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("deployer");
        assertThat(claims.getStringClaim("email")).isEqualTo("deployer@windlass.test");
        assertThat(claims.getStringClaim("name")).isEqualTo("Windlass Deployer");
        assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-deployers");
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    @Test
    void tamperedTokenFailsVerification() throws Exception {
        String[] parts = issuer.accessToken(DevUser.DEPLOYER).split("\\.");
        String payload = new Base64URL(parts[1]).decodeToString().replace("windlass-deployers", "windlass-admins");
        String tampered = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];

        assertThat(SignedJWT.parse(tampered).getJWTClaimsSet().getStringListClaim("groups"))
                .containsExactly("windlass-admins");
        assertThatThrownBy(() -> verify(issuer, tampered)).isInstanceOf(BadJWSException.class);
    }

    @Test
    void craftedTokensAreSignedWithTheRealKey() throws Exception {
        String expired = issuer.token(Map.of("sub", "viewer", "aud", CLIENT_ID), Duration.ofMinutes(-5));
        assertThatThrownBy(() -> verify(issuer, expired))
                .isInstanceOf(BadJWTException.class)
                .hasMessageContaining("Expired");

        Map<String, Object> withoutJti = new HashMap<>(Map.of("sub", "viewer", "aud", CLIENT_ID));
        withoutJti.put("jti", null);
        assertThat(verify(issuer, issuer.token(withoutJti, Duration.ofMinutes(5)))
                        .getJWTID())
                .isNull();

        String custom = issuer.accessToken("someone", List.of("windlass-admins", "windlass-viewers"));
        JWTClaimsSet claims = verify(issuer, custom);
        assertThat(claims.getSubject()).isEqualTo(AuthentikIssuer.subjectOf("someone"));
        assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-admins", "windlass-viewers");
    }

    @Test
    void serviceTokenComesFromTheClientCredentialsGrantForTheServiceAccount() throws Exception {
        AuthentikIssuer.TokenResponse response = issuer.serviceTokens();
        JWTClaimsSet claims = verify(issuer, response.accessToken());

        // the service account is a user of the windlass provider: its client id is aud and azp
        assertThat(claims.getSubject()).isEqualTo(AuthentikIssuer.subjectOf(AuthentikIssuer.SERVICE_CLIENT_ID));
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(AuthentikIssuer.SERVICE_CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
        assertThat(claims.getStringClaim("azp")).isEqualTo(CLIENT_ID);
        assertThat(claims.getStringClaim("uid")).isNotBlank();
        assertThat(claims.getStringClaim("scope")).isEqualTo("openid profile");
        assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-services");
        // Authentik answers the client-credentials grant with an ID token too, and no refresh token
        assertThat(response.refreshToken()).isNull();
        assertThat(verify(issuer, response.idToken()).getClaims())
                .containsEntry("preferred_username", AuthentikIssuer.SERVICE_CLIENT_ID)
                .doesNotContainKeys("azp", "uid", "scope");
        assertThat(issuer.serviceToken()).isNotEqualTo(response.accessToken());
    }

    @Test
    void codeFlowTokensAreShapedAsAuthentiksTokenEndpointShapesThem() throws Exception {
        AuthentikIssuer.TokenResponse response = issuer.signIn(DevUser.ADMIN);

        JWTClaimsSet access = verify(issuer, response.accessToken());
        JWTClaimsSet id = verify(issuer, response.idToken());
        for (JWTClaimsSet claims : List.of(access, id)) {
            assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
            assertThat(claims.getSubject()).isEqualTo(AuthentikIssuer.subjectOf("admin"));
            assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
            assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-admins");
            assertThat(claims.getStringClaim("nonce")).isNotBlank();
            assertThat(claims.getClaims()).containsKeys("auth_time", "acr").doesNotContainKeys("jti", "nbf");
        }
        // the access token is the ID token plus azp, uid and scope (IDToken.to_access_token); the ID token from the
        // token endpoint has no at_hash (views/token.py), so no hash claim tells the two apart
        assertThat(access.getClaims().keySet())
                .containsAll(id.getClaims().keySet())
                .contains("azp", "uid", "scope");
        assertThat(id.getClaims()).doesNotContainKeys("azp", "uid", "scope", "at_hash", "c_hash");
        assertThat(access.getClaims()).doesNotContainKeys("at_hash", "c_hash");
        assertThat(response.scope()).isEqualTo(AuthentikIssuer.SCOPES);
        assertThat(response.refreshToken()).isNotBlank();
    }

    @Test
    void refreshTokensAreRotatedAndAUsedOneIsRefused() throws Exception {
        AuthentikIssuer.TokenResponse signIn = issuer.signIn(DevUser.VIEWER);

        AuthentikIssuer.TokenResponse refreshed = issuer.refresh(signIn.refreshToken());

        assertThat(refreshed.refreshToken()).isNotBlank().isNotEqualTo(signIn.refreshToken());
        JWTClaimsSet access = verify(issuer, refreshed.accessToken());
        assertThat(access.getSubject()).isEqualTo(AuthentikIssuer.subjectOf("viewer"));
        assertThat(access.getStringClaim("uid"))
                .isNotEqualTo(verify(issuer, signIn.accessToken()).getStringClaim("uid"));
        assertThat(verify(issuer, refreshed.idToken()).getClaims())
                .doesNotContainKeys("nonce", "at_hash", "azp", "uid");
        assertThatThrownBy(() -> issuer.refresh(signIn.refreshToken()))
                .hasMessageContaining("400")
                .hasMessageContaining("invalid_grant");
        assertThat(issuer.refresh(refreshed.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void interactiveCodeFlowWithPkceYieldsTheUsersClaims() throws Exception {
        String verifier = randomVerifier();
        String code = logIn("viewer", challenge(verifier));

        HttpResponse<String> response = redeem(code, verifier);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> tokens = json(response.body());
        assertThat(tokens).containsKeys("id_token", "refresh_token");

        for (String name : List.of("access_token", "id_token")) {
            JWTClaimsSet claims = verify(issuer, (String) tokens.get(name));
            assertThat(claims.getSubject()).as(name).isEqualTo(AuthentikIssuer.subjectOf("viewer"));
            assertThat(claims.getStringClaim("preferred_username")).isEqualTo("viewer");
            assertThat(claims.getStringClaim("email")).isEqualTo("viewer@windlass.test");
            assertThat(claims.getStringClaim("name")).isEqualTo("Windlass Viewer");
            assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-viewers");
            assertThat(claims.getAudience()).containsExactly(CLIENT_ID);
        }
        assertThat(verify(issuer, (String) tokens.get("access_token")).getStringClaim("azp"))
                .isEqualTo(CLIENT_ID);
        assertThat(verify(issuer, (String) tokens.get("id_token")).getStringClaim("nonce"))
                .isEqualTo("nonce-1");
    }

    @Test
    void codeFlowRejectsAWrongCodeVerifier() throws Exception {
        String code = logIn("admin", challenge(randomVerifier()));

        HttpResponse<String> response = redeem(code, randomVerifier());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid_grant");
    }

    @Test
    void rotatedKeyReplacesTheOldOneInTheJwks() throws Exception {
        try (AuthentikIssuer other = AuthentikIssuer.create(0).start()) {
            String before = other.accessToken(DevUser.ADMIN);
            String oldKid = other.signingKeyId();

            String newKid = other.rotateSigningKey();

            assertThat(newKid).isNotEqualTo(oldKid).isEqualTo(other.signingKeyId());
            assertThat(jwks(other).getKeys()).extracting(JWK::getKeyID).containsExactly(newKid);
            String after = other.accessToken(DevUser.ADMIN);
            assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
            assertThat(verify(other, after).getStringClaim("preferred_username"))
                    .isEqualTo("admin");
            assertThatThrownBy(() -> verify(other, before)).isInstanceOf(BadJOSEException.class);
        }
    }

    @Test
    void restartKeepsPortAndKeys() throws Exception {
        try (AuthentikIssuer other = AuthentikIssuer.create(0).start()) {
            int port = other.port();
            String token = other.accessToken(DevUser.VIEWER);

            other.stop();
            assertThat(other.isRunning()).isFalse();
            other.start();

            assertThat(other.port()).isEqualTo(port);
            assertThat(json(get(other.discoveryUrl()).body())).containsEntry("issuer", other.issuer());
            assertThat(verify(other, token).getStringClaim("preferred_username"))
                    .isEqualTo("viewer");
        }
    }

    /** Drives the login page as a browser would and returns the authorization code from the redirect. */
    private static String logIn(String username, String codeChallenge) throws Exception {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", CLIENT_ID);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", AuthentikIssuer.SCOPES);
        query.put("state", "state-1");
        query.put("nonce", "nonce-1");
        query.put("code_challenge", codeChallenge);
        query.put("code_challenge_method", "S256");
        String authorize = json(get(issuer.discoveryUrl()).body()).get("authorization_endpoint") + "?" + form(query);

        HttpResponse<String> page = get(authorize);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\"");

        HttpResponse<String> login = post(authorize, form(Map.of("username", username)), null);
        assertThat(login.statusCode()).isEqualTo(302);
        URI location = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT_URI + "?");
        Map<String, String> params = Set.of(location.getRawQuery().split("&")).stream()
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        assertThat(params).containsEntry("state", "state-1");
        return params.get("code");
    }

    private static HttpResponse<String> redeem(String code, String verifier) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", REDIRECT_URI);
        body.put("code_verifier", verifier);
        String basic =
                Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return post(issuer.tokenEndpoint(), form(body), "Basic " + basic);
    }

    private static JWTClaimsSet verify(AuthentikIssuer from, String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks(from))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                CLIENT_ID, new JWTClaimsSet.Builder().issuer(from.issuer()).build(), Set.of("sub", "iat", "exp")));
        return processor.process(token, null);
    }

    private static JWKSet jwks(AuthentikIssuer from) throws Exception {
        HttpResponse<String> response = get(from.jwksUrl());
        assertThat(response.statusCode()).isEqualTo(200);
        return JWKSet.parse(response.body());
    }

    private static String randomVerifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }

    private static String challenge(String verifier) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64URL.encode(digest).toString();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, Object> json(String body) throws Exception {
        return JSONObjectUtils.parse(body);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String formBody, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
