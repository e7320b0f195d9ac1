package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.ForgedTokens.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each forgery is what it claims to be: a strict RS256 verifier refuses it, and the control passes. */
class ForgedTokensTest {

    private static AuthentikIssuer issuer;
    private static JWKSet jwks;

    @BeforeAll
    static void start() throws Exception {
        issuer = AuthentikIssuer.create(0).start();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(issuer.jwksUrl())).build(),
                        HttpResponse.BodyHandlers.ofString());
        jwks = JWKSet.parse(response.body());
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void theControlVerifiesWithTheCallersClaims() throws Exception {
        ForgedTokens tokens = ForgedTokens.of(issuer, DevUser.ADMIN);

        JWTClaimsSet claims = verify(tokens.valid());

        assertThat(claims.getSubject()).isEqualTo(AuthentikIssuer.subjectOf("admin"));
        assertThat(claims.getStringListClaim("groups")).containsExactly("windlass-admins");
        assertThat(claims.getAudience()).containsExactly(AuthentikIssuer.CLIENT_ID);
        assertThat(claims.getClaims())
                .containsKeys(ForgedTokens.ACCESS_TOKEN_ONLY_CLAIMS.toArray(String[]::new))
                .doesNotContainKeys("at_hash", "c_hash");
    }

    @Test
    void theServiceControlCarriesTheServicesGroup() throws Exception {
        JWTClaimsSet claims = verify(ForgedTokens.ofService(issuer).valid());

        assertThat(claims.getStringListClaim("groups")).containsExactly(AuthentikIssuer.SERVICES_GROUP);
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(AuthentikIssuer.SERVICE_CLIENT_ID);
        assertThat(claims.getStringClaim("azp")).isEqualTo(AuthentikIssuer.CLIENT_ID);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"ID_TOKEN", "ISSUED_ID_TOKEN"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyForgeryButTheIdTokensFailsAStrictVerifier(Kind kind) {
        for (ForgedTokens tokens : Set.of(ForgedTokens.of(issuer, DevUser.VIEWER), ForgedTokens.ofService(issuer))) {
            String token = kind.forge(tokens);
            assertThatThrownBy(() -> verify(token)).as(kind.toString()).isInstanceOf(Exception.class);
        }
    }

    @Test
    void theIdTokensAreValidButLackTheAccessTokensOwnClaims() throws Exception {
        // what only the access-token rule can refuse: right key, issuer, audience and times
        ForgedTokens deployer = ForgedTokens.of(issuer, DevUser.DEPLOYER);
        JWTClaimsSet forged = verify(deployer.idToken());
        assertThat(forged.getStringClaim("at_hash")).isEqualTo(ForgedTokens.AT_HASH);

        for (String token : Set.of(
                deployer.idToken(),
                deployer.issuedIdToken(),
                ForgedTokens.ofService(issuer).issuedIdToken())) {
            JWTClaimsSet claims = verifyAsIssued(token);
            assertThat(claims.getAudience()).containsExactly(AuthentikIssuer.CLIENT_ID);
            assertThat(claims.getClaims())
                    .doesNotContainKeys(ForgedTokens.ACCESS_TOKEN_ONLY_CLAIMS.toArray(String[]::new));
        }
        // the real one from the code flow carries no hash claim at all, as Authentik's token endpoint issues it
        assertThat(verifyAsIssued(deployer.issuedIdToken()).getClaims()).doesNotContainKeys("at_hash", "c_hash");
    }

    @Test
    void theOtherApplicationsTokenDiffersOnlyInIssuerAndAudience() throws Exception {
        ForgedTokens admin = ForgedTokens.of(issuer, DevUser.ADMIN);
        String token = admin.otherApplication();

        JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(issuer.issuer().replace("/windlass/", "/other/"));
        assertThat(claims.getAudience()).containsExactly("other");
        assertThat(claims.getStringClaim("azp")).isEqualTo("other");
        assertThat(claims.getStringClaim("uid")).isNotBlank();
        assertThat(header(token)).containsEntry("kid", issuer.signingKeyId());
        assertThatThrownBy(() -> verify(token)).isInstanceOf(Exception.class);
    }

    @Test
    void theBadSignatureOnlyChangedTheGroups() throws Exception {
        String[] parts = ForgedTokens.of(issuer, DevUser.VIEWER).badSignature().split("\\.");
        Map<String, Object> payload =
                JSONObjectUtils.parse(Base64URL.from(parts[1]).decodeToString());

        assertThat(JSONObjectUtils.getStringList(payload, "groups"))
                .containsExactly("windlass-viewers", "windlass-admins", AuthentikIssuer.SERVICES_GROUP);
        assertThatThrownBy(() -> verify(String.join(".", parts))).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void theHeadersNameTheForgedAlgorithms() throws Exception {
        ForgedTokens tokens = ForgedTokens.of(issuer, DevUser.VIEWER);

        assertThat(header(tokens.algNone())).containsEntry("alg", "none");
        assertThat(header(tokens.hs256WithClientSecret()))
                .containsEntry("alg", "HS256")
                .containsEntry("kid", issuer.signingKeyId());
        assertThat(header(tokens.unknownKid()))
                .containsEntry("alg", "RS256")
                .containsEntry("kid", "not-a-windlass-key");
    }

    private static Map<String, Object> header(String token) throws Exception {
        return JSONObjectUtils.parse(Base64URL.from(token.split("\\.")[0]).decodeToString());
    }

    private static JWTClaimsSet verify(String token) throws Exception {
        return verify(token, Set.of("sub", "iat", "exp", "nbf"));
    }

    /** As {@link #verify} without {@code nbf}, which Authentik's tokens do not carry. */
    private static JWTClaimsSet verifyAsIssued(String token) throws Exception {
        return verify(token, Set.of("sub", "iat", "exp"));
    }

    private static JWTClaimsSet verify(String token, Set<String> required) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                AuthentikIssuer.CLIENT_ID,
                new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(),
                required));
        return processor.process(token, null);
    }
}
