package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The dev stack's registry is a real Distribution registry: basic auth, pushes by its HTTP API, tags and digests. */
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
