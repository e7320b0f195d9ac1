package dev.windlass.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequestHandler;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import no.nav.security.mock.oauth2.token.RequestMapping;
import no.nav.security.mock.oauth2.token.RequestMappingTokenCallback;

/**
 * A local OIDC issuer shaped like Authentik's provider for the {@value #SLUG} application: its issuer, subjects, token
 * claims, refresh-token rotation and client-credentials grant follow Authentik's source (docs/security.md, "Tokens as
 * Authentik issues them").
 */
public final class AuthentikIssuer implements AutoCloseable {

    /** Authentik application slug; the issuer path is {@code /application/o/<slug>}. */
    public static final String SLUG = "windlass";

    /** Client id of the provider; every token carries it as {@code aud}, access tokens also as {@code azp}. */
    public static final String CLIENT_ID = "windlass";

    /** Dev-only secret of {@link #CLIENT_ID}. This issuer does not check client secrets. */
    public static final String CLIENT_SECRET = "windlass-dev-client-secret";

    /** The service account (and dev client id) whose client-credentials tokens carry the {@code service} role. */
    public static final String SERVICE_CLIENT_ID = "windlass-service";

    /** Dev-only secret of {@link #SERVICE_CLIENT_ID}. This issuer does not check client secrets. */
    public static final String SERVICE_CLIENT_SECRET = "windlass-service-dev-secret";

    /** Group carried by tokens of {@link #SERVICE_CLIENT_ID}. */
    public static final String SERVICES_GROUP = "windlass-services";

    /**
     * A CI pipeline's service account, in the deployers' group: it asks for client-credentials tokens with its user
     * name and app password, as Authentik's token endpoint takes them.
     */
    public static final String CI_ACCOUNT = "windlass-ci";

    /** Dev-only app password of {@link #CI_ACCOUNT}. This issuer does not check it. */
    public static final String CI_APP_PASSWORD = "windlass-ci-dev-password";

    /** Scopes the Windlass clients request. */
    public static final String SCOPES = "openid profile email offline_access";

    /** Environment variable naming a real Authentik issuer to use instead of this one. */
    public static final String EXTERNAL_ISSUER_ENV = "WINDLASS_OIDC_ISSUER";

    /** Lifetime of the tokens this issuer mints. */
    public static final Duration TOKEN_TTL = Duration.ofHours(1);

    static final String ISSUER_PATH = "application/o/" + SLUG;
    static final String EMAIL_DOMAIN = "windlass.test";
    private static final String HOST = "127.0.0.1";
    private static final String JWT = JOSEObjectType.JWT.getType();

    /** The users known to the dev issuer, each in one Windlass group. */
    public enum DevUser {
        ADMIN("admin", "windlass-admins"),
        DEPLOYER("deployer", "windlass-deployers"),
        VIEWER("viewer", "windlass-viewers");

        private final String username;
        private final String group;

        DevUser(String username, String group) {
            this.username = username;
            this.group = group;
        }

        public String username() {
            return username;
        }

        public String group() {
            return group;
        }

        public String email() {
            return username + "@" + EMAIL_DOMAIN;
        }

        public String displayName() {
            return "Windlass " + Character.toUpperCase(username.charAt(0)) + username.substring(1);
        }

        /** Dev-only password; the dev issuer's login page asks for a username only and checks no password. */
        public String password() {
            return username + "-dev-password";
        }
    }

    private final RotatingKeyProvider keys = new RotatingKeyProvider();
    private final OAuth2TokenProvider tokenProvider = new OAuth2TokenProvider(keys);
    private final AuthentikTokens tokens = new AuthentikTokens(keys::current, TOKEN_TTL);
    private final Map<String, AuthentikRoutes.RefreshToken> refreshTokens = AuthentikRoutes.newRefreshStore();
    private final Set<OAuth2TokenCallback> tokenCallbacks = Set.of(tokenCallback());
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;
    private MockOAuth2Server server;

    private AuthentikIssuer(int port) {
        this.port = port;
    }

    /** An issuer for {@code port}; 0 picks a free port at the first start and keeps it for restarts. */
    public static AuthentikIssuer create(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new AuthentikIssuer(port);
    }

    /** The issuer of a real Authentik from {@value #EXTERNAL_ISSUER_ENV}, or null when it is unset or blank. */
    public static String externalIssuer() {
        String issuer = System.getenv(EXTERNAL_ISSUER_ENV);
        return issuer == null || issuer.isBlank() ? null : issuer.strip();
    }

    /** Starts serving on 127.0.0.1; keys and the port survive a stop and start. */
    public synchronized AuthentikIssuer start() {
        if (server != null) {
            return this;
        }
        OAuth2Config config =
                new OAuth2Config(true, null, null, false, tokenProvider, tokenCallbacks, new MockWebServerWrapper());
        AuthentikRoutes authentik = new AuthentikRoutes(
                new OAuth2HttpRequestHandler(config).getAuthorizationServer(),
                tokens,
                this::issuer,
                AuthentikIssuer::account,
                refreshTokens);
        MockOAuth2Server started = new MockOAuth2Server(config, authentik);
        started.start(loopback(), port);
        port = config.getHttpServer().port();
        server = started;
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("port not chosen yet: start the issuer first");
        }
        return port;
    }

    /**
     * The exact {@code iss} of every token and the {@code issuer} of discovery, with Authentik's trailing slash
     * ({@code …/application/o/windlass/}). Clients must call the 127.0.0.1 URLs given here.
     */
    public String issuer() {
        return issuerOf(SLUG);
    }

    /** The issuer another Authentik application {@code slug} would have on this host (same key, other path). */
    public String issuerOf(String slug) {
        return "http://" + HOST + ":" + port() + "/application/o/" + slug + "/";
    }

    public String discoveryUrl() {
        return issuer() + ".well-known/openid-configuration";
    }

    public String jwksUrl() {
        return issuer() + "jwks";
    }

    public String tokenEndpoint() {
        return issuer() + "token";
    }

    public String authorizationEndpoint() {
        return issuer() + "authorize";
    }

    /** The {@code sub} Authentik gives {@code username} in its default mode, {@code hashed_user_id}. */
    public static String subjectOf(String username) {
        return AuthentikTokens.subjectOf(username);
    }

    /** The {@code kid} of the key that signs tokens now. */
    public String signingKeyId() {
        return keys.current().getKeyID();
    }

    /**
     * Replaces the signing key with a new RSA key under a new {@code kid}, as changing a provider's signing key in
     * Authentik does: the JWKS then lists only the new key, so tokens signed before no longer verify.
     *
     * @return the new {@code kid}
     */
    public String rotateSigningKey() {
        return keys.rotate().getKeyID();
    }

    /** An access token for a dev user, as the login of that user through {@link #CLIENT_ID} yields. */
    public String accessToken(DevUser user) {
        return accessToken(account(user.username()));
    }

    /** An access token for any user name with the given groups, through {@link #CLIENT_ID}. */
    public String accessToken(String username, List<String> groups) {
        return accessToken(new AuthentikTokens.Account(username, username, username + "@" + EMAIL_DOMAIN, groups));
    }

    /** The claims of an access token of {@code user} as Authentik issues it, without {@code iss} and times. */
    public Map<String, Object> accessTokenClaims(DevUser user) {
        return withoutIssuerAndTimes(tokens.accessTokenClaims(issuer(), grant(account(user.username()))));
    }

    /** The claims of the service account's client-credentials token, without {@code iss} and times. */
    public Map<String, Object> serviceTokenClaims() {
        AuthentikTokens.Grant grant = new AuthentikTokens.Grant(
                account(SERVICE_CLIENT_ID), CLIENT_ID, List.of("openid", "profile"), null, java.time.Instant.now());
        return withoutIssuerAndTimes(tokens.accessTokenClaims(issuer(), grant));
    }

    /** A client-credentials token of {@link #SERVICE_CLIENT_ID}, fetched from the running token endpoint. */
    public String serviceToken() {
        return serviceTokens().accessToken();
    }

    /** The whole client-credentials answer for {@link #SERVICE_CLIENT_ID}: Authentik adds an ID token to it. */
    public TokenResponse serviceTokens() {
        String form =
                "grant_type=client_credentials&scope=" + URLEncoder.encode("openid profile", StandardCharsets.UTF_8);
        String basic = Base64.getEncoder()
                .encodeToString((SERVICE_CLIENT_ID + ":" + SERVICE_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return postToken(form, basic);
    }

    /**
     * A client-credentials token of the CI service account {@link #CI_ACCOUNT}, asked for as a pipeline does:
     * {@code client_id}, {@code username} and app password in the form.
     */
    public String ciToken() {
        String form = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&username=" + CI_ACCOUNT + "&password="
                + CI_APP_PASSWORD + "&scope=" + URLEncoder.encode("openid profile", StandardCharsets.UTF_8);
        return postToken(form, null).accessToken();
    }

    /**
     * Signs {@code user} in through the login page with the code flow and PKCE, as a browser would, and redeems the
     * code: the tokens the gateway's session would hold.
     */
    public TokenResponse signIn(DevUser user) {
        return AuthentikSignIn.signIn(this, user.username());
    }

    /** Exchanges a refresh token; Authentik rotates it, so each one works once. */
    public TokenResponse refresh(String refreshToken) {
        String form =
                "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8);
        String basic =
                Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return postToken(form, basic);
    }

    /** The token endpoint's answer; {@code refreshToken} is null when none was issued. */
    public record TokenResponse(String accessToken, String idToken, String refreshToken, String scope) {}

    TokenResponse postToken(String form, String basicCredentials) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (basicCredentials != null) {
            builder.header("Authorization", "Basic " + basicCredentials);
        }
        HttpRequest request =
                builder.POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            Map<String, Object> body = JSONObjectUtils.parse(response.body());
            return new TokenResponse(
                    JSONObjectUtils.getString(body, "access_token"),
                    JSONObjectUtils.getString(body, "id_token"),
                    JSONObjectUtils.getString(body, "refresh_token"),
                    JSONObjectUtils.getString(body, "scope"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("unreadable token response", e);
        }
    }

    HttpClient http() {
        return http;
    }

    /**
     * A token signed with the issuer's current key: {@code iss}, {@code jti}, {@code iat}, {@code nbf} and
     * {@code exp = now + ttl} (negative for an expired token), then {@code claims} on top; a null value drops a claim.
     */
    public String token(Map<String, Object> claims, Duration ttl) {
        Map<String, Object> all = new HashMap<>();
        all.put("iss", issuer());
        all.put("jti", UUID.randomUUID().toString());
        all.putAll(claims);
        return tokenProvider.jwt(all, ttl, ISSUER_PATH).serialize();
    }

    private String accessToken(AuthentikTokens.Account account) {
        return tokens.sign(tokens.accessTokenClaims(issuer(), grant(account)));
    }

    private static AuthentikTokens.Grant grant(AuthentikTokens.Account account) {
        return new AuthentikTokens.Grant(account, CLIENT_ID, List.of(SCOPES.split(" ")), null, java.time.Instant.now());
    }

    private static Map<String, Object> withoutIssuerAndTimes(Map<String, Object> claims) {
        Map<String, Object> rest = new LinkedHashMap<>(claims);
        for (String claim : List.of("iss", "exp", "iat", "auth_time")) {
            rest.remove(claim);
        }
        return rest;
    }

    /** The dev issuer's account for a user name: a dev user, the service account, or anyone without groups. */
    static AuthentikTokens.Account account(String username) {
        for (DevUser user : DevUser.values()) {
            if (user.username().equals(username)) {
                return new AuthentikTokens.Account(username, user.displayName(), user.email(), List.of(user.group()));
            }
        }
        if (SERVICE_CLIENT_ID.equals(username)) {
            return new AuthentikTokens.Account(username, username, null, List.of(SERVICES_GROUP));
        }
        if (CI_ACCOUNT.equals(username)) {
            return new AuthentikTokens.Account(username, username, null, List.of(DevUser.DEPLOYER.group()));
        }
        return new AuthentikTokens.Account(username, username, username + "@" + EMAIL_DOMAIN, List.of());
    }

    private static Map<String, Object> userClaims(
            String username, String name, String email, List<String> groups, String clientId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", username);
        claims.put("preferred_username", username);
        claims.put("name", name);
        claims.put("email", email);
        if (groups != null) {
            claims.put("groups", groups);
        }
        claims.put("aud", clientId);
        return claims;
    }

    /**
     * Who signs in on the login page: it matches on the typed user name ({@code subject}); {@code ${clientId}} becomes
     * the requesting client. Unknown names get no groups, so the login page's optional claims box can add some. The
     * token endpoint ({@link AuthentikRoutes}) turns these claims into Authentik's tokens.
     */
    private static OAuth2TokenCallback tokenCallback() {
        List<RequestMapping> mappings = new ArrayList<>();
        for (DevUser user : DevUser.values()) {
            mappings.add(mapping(
                    "subject",
                    user.username(),
                    userClaims(
                            user.username(), user.displayName(), user.email(), List.of(user.group()), "${clientId}")));
        }
        mappings.add(mapping(
                "subject",
                "*",
                userClaims("${subject}", "${subject}", "${subject}@" + EMAIL_DOMAIN, null, "${clientId}")));
        return new RequestMappingTokenCallback(ISSUER_PATH, mappings, TOKEN_TTL.toSeconds());
    }

    private static RequestMapping mapping(String param, String match, Map<String, Object> claims) {
        return new RequestMapping(param, match, claims, JWT);
    }

    private static InetAddress loopback() {
        try {
            // by address, so the server's own URLs say 127.0.0.1 rather than a looked-up host name
            return InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One RS256 key for the issuer, replaced on rotation; its JWK thumbprint is the {@code kid}. */
    private static final class RotatingKeyProvider extends KeyProvider {
        private volatile RSAKey current = newKey();

        RotatingKeyProvider() {
            super(List.of(), JWSAlgorithm.RS256.getName());
        }

        RSAKey current() {
            return current;
        }

        RSAKey rotate() {
            current = newKey();
            return current;
        }

        @Override
        public JWK signingKey(String keyId) {
            return current;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) {
            return selector == null ? new ArrayList<>() : selector.select(new JWKSet(current).toPublicJWKSet());
        }

        private static RSAKey newKey() {
            try {
                return new RSAKeyGenerator(2048)
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256)
                        .keyIDFromThumbprint(true)
                        .generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate an RSA key", e);
            }
        }
    }
}
