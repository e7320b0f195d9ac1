package dev.windlass.devstack;

import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The browser's side of the code flow with PKCE against the dev issuer, for tests that need a real sign-in. */
final class AuthentikSignIn {

    static final String REDIRECT_URI = "http://127.0.0.1:9/callback";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AuthentikSignIn() {}

    static AuthentikIssuer.TokenResponse signIn(AuthentikIssuer issuer, String username) {
        String verifier = randomValue();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", AuthentikIssuer.CLIENT_ID);
        query.put("redirect_uri", REDIRECT_URI);
        query.put("scope", AuthentikIssuer.SCOPES);
        query.put("state", randomValue());
        query.put("nonce", randomValue());
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        String authorize = issuer.authorizationEndpoint() + "?" + form(query);

        HttpResponse<String> login = send(
                issuer,
                HttpRequest.newBuilder(URI.create(authorize))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username))))
                        .build());
        String location = login.headers().firstValue("Location").orElse("");
        if (login.statusCode() != 302 || !location.startsWith(REDIRECT_URI + "?")) {
            throw new IllegalStateException("sign-in of " + username + " answered " + login.statusCode());
        }
        String code = parameter(URI.create(location).getRawQuery(), "code");

        Map<String, String> redeem = new LinkedHashMap<>();
        redeem.put("grant_type", "authorization_code");
        redeem.put("code", code);
        redeem.put("redirect_uri", REDIRECT_URI);
        redeem.put("code_verifier", verifier);
        String basic = Base64.getEncoder()
                .encodeToString((AuthentikIssuer.CLIENT_ID + ":" + AuthentikIssuer.CLIENT_SECRET)
                        .getBytes(StandardCharsets.UTF_8));
        return issuer.postToken(form(redeem), basic);
    }

    private static HttpResponse<String> send(AuthentikIssuer issuer, HttpRequest request) {
        try {
            return issuer.http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String parameter(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts[0].equals(name) && parts.length == 2) {
                return java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no " + name + " in the redirect");
    }

    private static String randomValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(digest).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
