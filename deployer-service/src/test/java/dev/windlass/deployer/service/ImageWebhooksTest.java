package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.service.ImageUpdates.Push;
import dev.windlass.deployer.service.ImageWebhooks.Call;
import dev.windlass.deployer.service.ImageWebhooks.Format;
import dev.windlass.events.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Each webhook format read as its registry sends it, and refused without the secret or with a wrong signature. */
class ImageWebhooksTest {

    private static final String SECRET = "webhook-secret-for-the-tests-0123";
    private static final String DIGEST = "sha256:" + "c".repeat(64);
    private static final ImageWebhooks WEBHOOKS = new ImageWebhooks(new ObjectMapper());

    /** The envelope the Distribution registry posts: a blob push (no tag) and a tagged manifest push. */
    static final String DISTRIBUTION = """
            {"events": [
              {"action": "push", "target": {"mediaType": "application/octet-stream", "digest": "%1$s",
                "repository": "team/web"}, "request": {"host": "registry.example.com:5000"}},
              {"action": "push", "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "digest": "%1$s", "repository": "team/web", "tag": "1.4.0",
                "url": "http://registry.example.com:5000/v2/team/web/manifests/%1$s"},
                "request": {"host": "registry.example.com:5000", "method": "PUT"}, "actor": {"name": "ci"}},
              {"action": "pull", "target": {"repository": "team/web", "tag": "1.3.0"},
                "request": {"host": "registry.example.com:5000"}}
            ]}""".formatted(DIGEST);

    /** Harbor's PUSH_ARTIFACT event. */
    static final String HARBOR = """
            {"type": "PUSH_ARTIFACT", "occur_at": 1765000000, "operator": "ci",
             "event_data": {"resources": [{"digest": "%s", "tag": "v2.1.0",
               "resource_url": "harbor.example.com/library/web:v2.1.0"}],
               "repository": {"name": "web", "namespace": "library", "repo_full_name": "library/web",
                 "repo_type": "private"}}}""".formatted(DIGEST);

    /** GitHub's package event for a container package on ghcr.io. */
    static final String GITHUB = """
            {"action": "published",
             "package": {"name": "Web", "package_type": "CONTAINER", "owner": {"login": "Example-Org"},
               "package_version": {"version": "%1$s",
                 "container_metadata": {"tag": {"name": "3.0.1", "digest": "%1$s"}}},
               "registry": {"url": "https://ghcr.io"}}}""".formatted(DIGEST);

    /** Docker Hub's push payload. */
    static final String DOCKER_HUB = """
            {"callback_url": "https://registry.hub.docker.com/u/example/web/hook/1/",
             "push_data": {"pushed_at": 1765000000, "pusher": "ci", "tag": "1.0.7"},
             "repository": {"repo_name": "example/web", "name": "web", "namespace": "example"}}""";

    /** The plain form: a structured CloudEvent. */
    static final String CLOUDEVENT = """
            {"specversion": "1.0", "type": "dev.windlass.image.pushed.v1", "source": "/ci/build", "id": "42",
             "data": {"registry": "registry.example.com", "repository": "shop/api", "tag": "0.9.0"}}""";

    @Test
    void theDistributionRegistrysEnvelopeYieldsItsTaggedManifestPushesOnly() {
        assertThat(WEBHOOKS.read(Format.DISTRIBUTION, bearer(DISTRIBUTION, SECRET), SECRET))
                .containsExactly(new Push("registry.example.com:5000", "team/web", "1.4.0", DIGEST));
    }

    @Test
    void harborGithubDockerHubAndCloudEventsSayWhatWasPushed() {
        assertThat(WEBHOOKS.read(Format.HARBOR, bearer(HARBOR, SECRET), SECRET))
                .containsExactly(new Push("harbor.example.com", "library/web", "v2.1.0", DIGEST));
        assertThat(WEBHOOKS.read(Format.GITHUB, signed(GITHUB, SECRET), SECRET))
                .containsExactly(new Push("ghcr.io", "example-org/web", "3.0.1", DIGEST));
        assertThat(WEBHOOKS.read(Format.DOCKERHUB, new Call(bytes(DOCKER_HUB), h -> null, SECRET), SECRET))
                .containsExactly(new Push("docker.io", "example/web", "1.0.7", null));
        assertThat(WEBHOOKS.read(Format.CLOUDEVENTS, bearer(CLOUDEVENT, SECRET), SECRET))
                .containsExactly(new Push("registry.example.com", "shop/api", "0.9.0", null));
        // binary mode: the envelope in ce- headers, the body is the data
        String data = "{\"registry\": \"registry.example.com\", \"repository\": \"shop/api\", \"tag\": \"0.9.1\"}";
        Map<String, String> headers =
                Map.of("authorization", "Bearer " + SECRET, "ce-type", ImageWebhooks.CLOUDEVENT_TYPE);
        assertThat(WEBHOOKS.read(
                        Format.CLOUDEVENTS,
                        new Call(bytes(data), name -> headers.get(name.toLowerCase()), null),
                        SECRET))
                .containsExactly(new Push("registry.example.com", "shop/api", "0.9.1", null));
    }

    @Test
    void eventsThatPushNoTaggedImageYieldNothing() {
        assertThat(WEBHOOKS.read(
                        Format.HARBOR, bearer(HARBOR.replace("PUSH_ARTIFACT", "DELETE_ARTIFACT"), SECRET), SECRET))
                .isEmpty();
        assertThat(WEBHOOKS.read(Format.GITHUB, signed(GITHUB.replace("published", "updated"), SECRET), SECRET))
                .isEmpty();
        String untagged = GITHUB.replace(
                "\"tag\": {\"name\": \"3.0.1\", \"digest\": \"" + DIGEST + "\"}", "\"tag\": {\"name\": \"\"}");
        assertThat(WEBHOOKS.read(Format.GITHUB, signed(untagged, SECRET), SECRET))
                .isEmpty();
    }

    @Test
    void aCallWithoutTheSecretOrWithAnotherSignatureIsRefused() {
        assertThatThrownBy(() -> WEBHOOKS.read(Format.DISTRIBUTION, bearer(DISTRIBUTION, "guess"), SECRET))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> WEBHOOKS.read(Format.HARBOR, new Call(bytes(HARBOR), h -> null, null), SECRET))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(() -> WEBHOOKS.read(Format.GITHUB, signed(GITHUB, "another-key"), SECRET))
                .isInstanceOf(WebhookRefusedException.class)
                .hasMessageContaining("does not match");
        // signed, then changed on the way: the signature no longer matches the body
        Call tampered = signed(GITHUB, SECRET);
        assertThatThrownBy(() -> WEBHOOKS.read(
                        Format.GITHUB,
                        new Call(bytes(GITHUB.replace("3.0.1", "9.9.9")), tampered.header(), null),
                        SECRET))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(
                        () -> WEBHOOKS.read(Format.DOCKERHUB, new Call(bytes(DOCKER_HUB), h -> null, "guess"), SECRET))
                .isInstanceOf(WebhookRefusedException.class);
        // the secret in a bearer header is not the Docker Hub form's proof, nor the other way round
        assertThatThrownBy(() -> WEBHOOKS.read(Format.DOCKERHUB, bearer(DOCKER_HUB, SECRET), SECRET))
                .isInstanceOf(WebhookRefusedException.class);
        assertThatThrownBy(
                        () -> WEBHOOKS.read(Format.CLOUDEVENTS, new Call(bytes(CLOUDEVENT), h -> null, SECRET), SECRET))
                .isInstanceOf(WebhookRefusedException.class);
    }

    @Test
    void aBodyThatIsNotWhatItsFormatSendsIsRefusedNamingTheField() {
        assertThat(violation(Format.DISTRIBUTION, "[]")).isEqualTo("body");
        assertThat(violation(Format.DISTRIBUTION, "{\"events\": {}}")).isEqualTo("events");
        assertThat(violation(
                        Format.DISTRIBUTION,
                        DISTRIBUTION.replace("\"host\": \"registry.example.com:5000\", \"method\"", "\"method\"")))
                .isEqualTo("events[1].request.host");
        assertThat(violation(Format.DISTRIBUTION, DISTRIBUTION.replace("\"1.4.0\"", "\"bad tag!\"")))
                .isEqualTo("events[1].target");
        assertThat(violation(Format.HARBOR, HARBOR.replace(DIGEST, "md5:abc")))
                .isEqualTo("event_data.resources[0].digest");
        assertThat(violation(Format.CLOUDEVENTS, CLOUDEVENT.replace("image.pushed", "image.deleted")))
                .isEqualTo("type");
        assertThat(violation(Format.CLOUDEVENTS, CLOUDEVENT.replace("\"tag\": \"0.9.0\"", "\"tag\": 9")))
                .isEqualTo("data.tag");
        assertThat(violation(Format.DISTRIBUTION, "not json")).isEqualTo("body");
    }

    private static String violation(Format format, String body) {
        try {
            WEBHOOKS.read(format, bearer(body, SECRET), SECRET);
        } catch (ValidationFailedException e) {
            return e.violations().stream().map(Violation::path).findFirst().orElseThrow();
        }
        throw new AssertionError("accepted: " + body);
    }

    private static Call bearer(String body, String secret) {
        return new Call(bytes(body), name -> name.equalsIgnoreCase("authorization") ? "Bearer " + secret : null, null);
    }

    static Call signed(String body, String key) {
        String signature = "sha256=" + hmac(key, bytes(body));
        return new Call(bytes(body), name -> name.equalsIgnoreCase("x-hub-signature-256") ? signature : null, null);
    }

    static String hmac(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
