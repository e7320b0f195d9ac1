package dev.windlass.devstack;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.windlass.devstack.AuthentikTokens.Account;
import dev.windlass.devstack.AuthentikTokens.Grant;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Puts Authentik's behaviour in front of mock-oauth2-server, which keeps the login page, authorization codes, PKCE
 * and the JWKS: discovery names the issuer with its trailing slash, and the token endpoint answers each grant as
 * Authentik's {@code TokenView} does — Authentik-shaped tokens, refresh tokens rotated on every use with a used one
 * refused, client-credentials tokens for a service account.
 */
final class AuthentikRoutes implements Route {

    /** Scopes the dev provider has mappings for; Authentik narrows a request to those. */
    static final List<String> KNOWN_SCOPES = List.of("openid", "email", "profile", "offline_access");

    private static final Headers JSON = Headers.of("Content-Type", "application/json;charset=UTF-8");

    private final Route delegate;
    private final AuthentikTokens tokens;
    private final Supplier<String> issuer;
    private final Function<String, Account> accounts;
    private final Map<String, RefreshToken> refreshTokens;
    private final Map<String, String> scopeOfCode = new ConcurrentHashMap<>();

    /** A refresh token's grant; {@code used} once it has been exchanged (Authentik's {@code revoked}). */
    record RefreshToken(Grant grant, AtomicBoolean used) {}

    AuthentikRoutes(
            Route delegate,
            AuthentikTokens tokens,
            Supplier<String> issuer,
            Function<String, Account> accounts,
            Map<String, RefreshToken> refreshTokens) {
        this.delegate = delegate;
        this.tokens = tokens;
        this.issuer = issuer;
        this.accounts = accounts;
        this.refreshTokens = refreshTokens;
    }

    static Map<String, RefreshToken> newRefreshStore() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
        return true;
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
        OAuth2HttpRequest normalized = withoutDoubleSlashes(request);
        String path = normalized.getUrl().encodedPath();
        if ("POST".equals(normalized.getMethod()) && path.endsWith("/token")) {
            return token(normalized);
        }
        OAuth2HttpResponse response = delegate.invoke(normalized);
        if (path.endsWith("/.well-known/openid-configuration") && response.getStatus() == 200) {
            return withIssuer(response);
        }
        if (path.endsWith("/authorize")) {
            rememberScope(normalized, response);
        }
        return response;
    }

    private OAuth2HttpResponse token(OAuth2HttpRequest request) {
        OAuth2HttpRequest.Parameters form = request.getFormParameters();
        String grantType = form.get("grant_type");
        if (grantType == null) {
            return error("unsupported_grant_type");
        }
        return switch (grantType) {
            case "authorization_code" -> code(request);
            case "refresh_token" -> refresh(form);
            case "client_credentials", "password" -> clientCredentials(request, form);
            default -> error("unsupported_grant_type");
        };
    }

    /** An authorization code's scopes, from the authorization request that the redirect answered with the code. */
    private void rememberScope(OAuth2HttpRequest request, OAuth2HttpResponse response) {
        String location = response.getHeaders().get("Location");
        String scope = request.getUrl().queryParameter("scope");
        if (location == null || scope == null) {
            return;
        }
        HttpUrl redirect = HttpUrl.parse(location);
        String code = redirect == null ? null : redirect.queryParameter("code");
        if (code != null) {
            scopeOfCode.put(code, scope);
        }
    }

    /** The mock checks code, redirect URI and PKCE; its ID token tells who signed in with which nonce. */
    private OAuth2HttpResponse code(OAuth2HttpRequest request) {
        String scope =
                scopeOfCode.remove(String.valueOf(request.getFormParameters().get("code")));
        OAuth2HttpResponse checked = delegate.invoke(request);
        if (checked.getStatus() != 200) {
            return checked;
        }
        try {
            Map<String, Object> body = JSONObjectUtils.parse(checked.getBody());
            JWTClaimsSet signIn =
                    SignedJWT.parse(JSONObjectUtils.getString(body, "id_token")).getJWTClaimsSet();
            String username = signIn.getStringClaim("preferred_username");
            Account known = accounts.apply(username != null ? username : signIn.getSubject());
            List<String> groups = signIn.getStringListClaim("groups");
            Account account = new Account(
                    known.username(), known.name(), known.email(), groups != null ? groups : known.groups());
            String clientId = signIn.getAudience().isEmpty()
                    ? AuthentikIssuer.CLIENT_ID
                    : signIn.getAudience().get(0);
            Grant grant = new Grant(
                    account,
                    clientId,
                    scopes(scope != null ? scope : JSONObjectUtils.getString(body, "scope")),
                    signIn.getStringClaim("nonce"),
                    Instant.now());
            return tokenResponse(grant, grant.scope().contains("offline_access"));
        } catch (ParseException e) {
            return error("invalid_grant");
        }
    }

    /** Authentik's refresh: the used token is revoked and a new one issued; a revoked one is {@code invalid_grant}. */
    private OAuth2HttpResponse refresh(OAuth2HttpRequest.Parameters form) {
        String presented = form.get("refresh_token");
        RefreshToken stored = presented == null ? null : refreshTokens.get(presented);
        if (stored == null || !stored.used().compareAndSet(false, true)) {
            return error("invalid_grant");
        }
        Grant previous = stored.grant();
        List<String> requested = form.get("scope") == null ? previous.scope() : scopes(form.get("scope"));
        if (!previous.scope().containsAll(requested) || !requested.contains("offline_access")) {
            return error("invalid_scope");
        }
        // a refreshed ID token carries no nonce: that belonged to the sign-in
        Grant renewed = new Grant(previous.account(), previous.clientId(), previous.scope(), null, previous.authTime());
        return tokenResponse(renewed, true);
    }

    /**
     * Authentik's client-credentials (and password) grant: a {@code username} with its app password, or a client
     * authenticating as itself, yields a token for that account through the provider's client id. No refresh token.
     */
    private OAuth2HttpResponse clientCredentials(OAuth2HttpRequest request, OAuth2HttpRequest.Parameters form) {
        String username = form.get("username");
        if (username == null || username.isBlank()) {
            username = client(request, form);
        }
        if (username == null || username.isBlank()) {
            return error("invalid_grant");
        }
        List<String> requested = scopes(form.get("scope"));
        Grant grant = new Grant(accounts.apply(username), AuthentikIssuer.CLIENT_ID, requested, null, Instant.now());
        return tokenResponse(grant, false);
    }

    private OAuth2HttpResponse tokenResponse(Grant grant, boolean withRefreshToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.sign(tokens.accessTokenClaims(issuer.get(), grant)));
        body.put("token_type", "Bearer");
        body.put("scope", String.join(" ", grant.scope()));
        body.put("expires_in", AuthentikIssuer.TOKEN_TTL.toSeconds());
        body.put("id_token", tokens.sign(tokens.idTokenClaims(issuer.get(), grant)));
        if (withRefreshToken) {
            String refreshToken = AuthentikTokens.randomId() + AuthentikTokens.randomId();
            refreshTokens.put(refreshToken, new RefreshToken(grant, new AtomicBoolean()));
            body.put("refresh_token", refreshToken);
        }
        return new OAuth2HttpResponse(JSON, 200, JSONObjectUtils.toJSONString(body), null);
    }

    private OAuth2HttpResponse withIssuer(OAuth2HttpResponse discovery) {
        try {
            Map<String, Object> document = JSONObjectUtils.parse(discovery.getBody());
            document.put("issuer", issuer.get());
            return new OAuth2HttpResponse(JSON, 200, JSONObjectUtils.toJSONString(document), null);
        } catch (ParseException e) {
            return discovery;
        }
    }

    /** The client id from HTTP Basic authentication or the form. */
    private static String client(OAuth2HttpRequest request, OAuth2HttpRequest.Parameters form) {
        String authorization = request.getHeaders().get("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        }
        return form.get("client_id");
    }

    /** The requested scopes Authentik knows, in the order asked ({@code TokenParams.__check_scopes}). */
    private static List<String> scopes(String requested) {
        if (requested == null || requested.isBlank()) {
            return List.of();
        }
        return Arrays.stream(requested.split("[\\s+]+"))
                .filter(KNOWN_SCOPES::contains)
                .distinct()
                .toList();
    }

    private static OAuth2HttpResponse error(String code) {
        return new OAuth2HttpResponse(JSON, 400, JSONObjectUtils.toJSONString(Map.of("error", code)), null);
    }

    private static OAuth2HttpRequest withoutDoubleSlashes(OAuth2HttpRequest request) {
        HttpUrl url = request.getOriginalUrl();
        String path = url.encodedPath();
        if (!path.contains("//")) {
            return request;
        }
        HttpUrl normalized =
                url.newBuilder().encodedPath(path.replaceAll("/{2,}", "/")).build();
        return new OAuth2HttpRequest(request.getHeaders(), request.getMethod(), normalized, request.getBody());
    }
}
