package dev.windlass.gateway.support;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.DevStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Signs a user in at the dev issuer as a command-line client would (code + PKCE) and returns the token response. */
public final class IssuerLogin {

    private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private IssuerLogin() {}

    /** The token endpoint's answer for {@code username}: access_token, id_token, refresh_token. */
    public static Map<String, Object> tokens(String username) throws Exception {
        AuthentikIssuer issuer = DevStack.oidc();
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64URL.encode(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)))
                .toString();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", AuthentikIssuer.CLIENT_ID);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", AuthentikIssuer.SCOPES);
        query.put("state", "s");
        query.put("nonce", "n-" + UUID.randomUUID());
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        String authorize = issuer.authorizationEndpoint() + "?" + form(query);
        HttpResponse<String> login = HTTP.send(
                HttpRequest.newBuilder(URI.create(authorize))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String location = login.headers().firstValue("Location").orElseThrow();
        String code = null;
        for (String param : URI.create(location).getRawQuery().split("&")) {
            if (param.startsWith("code=")) {
                code = param.substring("code=".length());
            }
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", REDIRECT_URI);
        body.put("code_verifier", verifier);
        String basic = Base64.getEncoder()
                .encodeToString((AuthentikIssuer.CLIENT_ID + ":" + AuthentikIssuer.CLIENT_SECRET)
                        .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> tokens = HTTP.send(
                HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Basic " + basic)
                        .POST(HttpRequest.BodyPublishers.ofString(form(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (tokens.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + tokens.statusCode() + ": " + tokens.body());
        }
        return JSONObjectUtils.parse(tokens.body());
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
