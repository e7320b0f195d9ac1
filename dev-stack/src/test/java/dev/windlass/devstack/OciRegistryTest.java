package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The dev stack's registry is a real Distribution registry: basic auth or token auth as Docker Hub's, pushes by its
 * HTTP API, tags and digests.
 */
class OciRegistryTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void pushedTagsAreListedAndATagPushedAgainGetsANewDigest() throws Exception {
        try (OciRegistry registry = OciRegistry.create().start()) {
            String first = registry.push("team/web", "1.0.0", "first");
            registry.push("team/web", "1.1.0-rc.1", "second");
            assertThat(first).matches("sha256:[0-9a-f]{64}");

            HttpResponse<String> tags = get(registry, "/v2/team/web/tags/list", registry.basicAuth());
            assertThat(tags.statusCode()).isEqualTo(200);
            assertThat(tags.body()).contains("\"1.0.0\"", "\"1.1.0-rc.1\"");

            HttpResponse<Void> manifest = http.send(
                    HttpRequest.newBuilder(URI.create(registry.url() + "/v2/team/web/manifests/1.0.0"))
                            .header("Authorization", registry.basicAuth())
                            .header("Accept", OciRegistry.MANIFEST_TYPE)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(first);

            // the same tag with other content: a new digest under the old name, as a rebuilt ":latest" is
            String again = registry.push("team/web", "1.0.0", "rebuilt");
            assertThat(again).isNotEqualTo(first);
        }
    }

    @Test
    void withoutCredentialsTheRegistryAsksForBasicAuth() throws Exception {
        try (OciRegistry registry = OciRegistry.create().start()) {
            assertThat(registry.tokenAuth()).isFalse();
            HttpResponse<String> anonymous = get(registry, "/v2/_catalog", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm="));
            assertThat(get(registry, "/v2/_catalog", "Basic d2luZGxhc3M6d3Jvbmc=")
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void aRegistryThatNotifiesPostsEachTaggedManifestPushWithItsHeader() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (OciRegistry registry =
                OciRegistry.create().notifying(hook, "Bearer s3cret").start()) {
            String digest = registry.push("team/api", "2.0.0", "api");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bodies.stream().anyMatch(body -> body.contains("2.0.0")));
            JsonNode event = bodies.stream()
                    .map(OciRegistryTest::json)
                    .flatMap(envelope ->
                            StreamSupport.stream(envelope.path("events").spliterator(), false))
                    .filter(e -> e.path("target").path("tag").asText().equals("2.0.0"))
                    .findFirst()
                    .orElseThrow();
            assertThat(event.path("action").asText()).isEqualTo("push");
            assertThat(event.path("target").path("repository").asText()).isEqualTo("team/api");
            assertThat(event.path("target").path("digest").asText()).isEqualTo(digest);
            assertThat(event.path("request").path("host").asText()).isEqualTo(registry.host());
            assertThat(authorizations).containsOnly("Bearer s3cret");
            // blobs are not announced, only the manifest
            assertThat(bodies.stream()
                            .map(OciRegistryTest::json)
                            .flatMap(envelope ->
                                    StreamSupport.stream(envelope.path("events").spliterator(), false))
                            .map(e -> e.path("target").path("mediaType").asText()))
                    .containsOnly(OciRegistry.MANIFEST_TYPE);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void withoutCredentialsATokenAuthRegistryChallengesForABearerTokenFromItsRealm() throws Exception {
        try (OciRegistry registry = tokenAuthRegistry()) {
            assertThat(registry.tokenAuth()).isTrue();
            HttpResponse<String> anonymous = get(registry, "/v2/", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            String challenge =
                    anonymous.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).startsWith("Bearer realm=\"");
            assertThat(challengeParameters(challenge))
                    .containsEntry("realm", registry.tokenRealm())
                    .containsEntry("service", OciRegistry.TOKEN_SERVICE);
            // basic auth, right as it is, is no way in: only the token server takes it
            assertThat(get(registry, "/v2/", registry.basicAuth()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aClientThatFollowsTheBearerChallengeReadsPushedTagsAndDigests() throws Exception {
        try (OciRegistry registry = tokenAuthRegistry()) {
            int beforePushes = registry.tokensIssued();
            registry.push("shop/web", "1.0.0", "first");
            String second = registry.push("shop/web", "1.1.0", "second");
            int afterPushes = registry.tokensIssued();
            assertThat(afterPushes).isGreaterThan(beforePushes);

            HttpResponse<String> tags = followingTheChallenge(
                    registry, HttpRequest.newBuilder(URI.create(registry.url() + "/v2/shop/web/tags/list")));
            assertThat(tags.statusCode()).isEqualTo(200);
            assertThat(json(tags.body()).path("tags"))
                    .extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("1.0.0", "1.1.0");

            HttpResponse<String> manifest = followingTheChallenge(
                    registry,
                    HttpRequest.newBuilder(URI.create(registry.url() + "/v2/shop/web/manifests/1.1.0"))
                            .header("Accept", OciRegistry.MANIFEST_TYPE)
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(second);
            assertThat(registry.tokensIssued()).isGreaterThan(afterPushes);
        }
    }

    @Test
    void wrongCredentialsGetNoTokenAndAnAnonymousTokenReadsNothing() throws Exception {
        try (OciRegistry registry = tokenAuthRegistry()) {
            registry.push("shop/web", "1.0.0", "first");
            String scope = "repository:shop/web:pull";
            int issued = registry.tokensIssued();

            HttpResponse<String> refused = tokenResponse(registry, scope, "Basic d2luZGxhc3M6d3Jvbmc=");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(registry.tokensIssued()).isEqualTo(issued);

            HttpResponse<String> anonymous = tokenResponse(registry, scope, null);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            String anonymousToken = json(anonymous.body()).path("token").asText();
            assertThat(SignedJWT.parse(anonymousToken).getJWTClaimsSet().getListClaim("access"))
                    .isEmpty();
            HttpResponse<String> denied = get(registry, "/v2/shop/web/tags/list", "Bearer " + anonymousToken);
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(challenge -> assertThat(challenge).contains("error=\"insufficient_scope\""));

            // the same request with the user's token is read: the anonymous one was refused for its access alone
            String token = json(tokenResponse(registry, scope, registry.basicAuth())
                            .body())
                    .path("token")
                    .asText();
            assertThat(get(registry, "/v2/shop/web/tags/list", "Bearer " + token)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(registry.tokensIssued()).isEqualTo(issued + 2);
        }
    }

    @Test
    void tokensAreEs256JwtsSignedByTheCertificateInTheirHeaderWithTheClaimsTheRegistryReads() throws Exception {
        try (OciRegistry registry = tokenAuthRegistry()) {
            HttpResponse<String> response =
                    tokenResponse(registry, "repository:shop/web:pull,push,delete", registry.basicAuth());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response.body());
            String token = body.path("token").asText();
            assertThat(body.path("access_token").asText()).isEqualTo(token);
            assertThat(body.path("expires_in").asInt()).isEqualTo(300);
            Instant issuedAt = Instant.parse(body.path("issued_at").asText());

            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(jwt.getHeader().getX509CertChain()).hasSize(1);
            X509Certificate certificate = X509CertUtils.parse(
                    jwt.getHeader().getX509CertChain().get(0).decode());
            assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
            assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) certificate.getPublicKey())))
                    .isTrue();

            // the registry reads aud as one string: a list would not parse
            assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo(OciRegistry.TOKEN_SERVICE);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(RegistryTokenServer.ISSUER);
            assertThat(claims.getSubject()).isEqualTo(OciRegistry.USER);
            assertThat(claims.getIssueTime().toInstant()).isEqualTo(issuedAt);
            assertThat(claims.getExpirationTime().toInstant()).isEqualTo(issuedAt.plusSeconds(300));
            assertThat(claims.getNotBeforeTime().toInstant()).isBefore(issuedAt);
            assertThat(claims.getJWTID()).isNotBlank();
            // delete was asked and not granted
            assertThat(claims.getListClaim("access"))
                    .containsExactly(
                            Map.of("type", "repository", "name", "shop/web", "actions", List.of("pull", "push")));
        }
    }

    @Test
    void aTokenAuthRegistryNotifiesOfPushesAsWell() throws Exception {
        assumeTrue(OciRegistry.installed(), "Debian's docker-registry is not installed");
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (OciRegistry registry = OciRegistry.createWithTokenAuth()
                .notifying(hook, "Bearer s3cret")
                .start()) {
            String digest = registry.push("team/api", "2.0.0", "api");
            await().atMost(Duration.ofSeconds(30)).until(() -> bodies.stream().anyMatch(body -> body.contains(digest)));
        } finally {
            receiver.stop(0);
        }
    }

    private static OciRegistry tokenAuthRegistry() {
        assumeTrue(OciRegistry.installed(), "Debian's docker-registry is not installed");
        return OciRegistry.createWithTokenAuth().start();
    }

    /**
     * What a Docker client does: the call without credentials, and on a {@code Bearer} challenge a token from its
     * realm for its service and scope, with basic auth, then the call again with the token.
     */
    private HttpResponse<String> followingTheChallenge(OciRegistry registry, HttpRequest.Builder request)
            throws Exception {
        HttpResponse<String> first = http.send(request.copy().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(401);
        String challenge = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer ");
        Map<String, String> parameters = challengeParameters(challenge);
        assertThat(parameters).containsKeys("realm", "service", "scope");
        HttpResponse<String> token = http.send(
                HttpRequest.newBuilder(URI.create(parameters.get("realm") + "?service="
                                + URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8) + "&scope="
                                + URLEncoder.encode(parameters.get("scope"), StandardCharsets.UTF_8)))
                        .header("Authorization", registry.basicAuth())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        return http.send(
                request.copy()
                        .header(
                                "Authorization",
                                "Bearer " + json(token.body()).path("token").asText())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> tokenResponse(OciRegistry registry, String scope, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.tokenRealm() + "?service="
                + URLEncoder.encode(OciRegistry.TOKEN_SERVICE, StandardCharsets.UTF_8) + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code Bearer realm="…",service="…",scope="…"} as its parameters. */
    private static Map<String, String> challengeParameters(String challenge) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher parameter = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(challenge);
        while (parameter.find()) {
            parameters.put(parameter.group(1), parameter.group(2));
        }
        return parameters;
    }

    private static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(OciRegistry registry, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
