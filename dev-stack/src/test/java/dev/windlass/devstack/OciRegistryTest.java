package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private HttpResponse<String> get(OciRegistry registry, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
