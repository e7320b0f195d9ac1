package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {
                "nginx, -, nginx, -",
                "nginx:1.25-alpine, -, nginx, 1.25-alpine",
                "library/nginx, -, library/nginx, -",
                "ghcr.io/org/app:v1, ghcr.io, org/app, v1",
                "registry.example.com:5000/team/app:2026.03.14, registry.example.com:5000, team/app, 2026.03.14",
                "localhost:5000/app, localhost:5000, app, -",
                "localhost/app, localhost, app, -",
                "Registry/app, Registry, app, -",
                "[::1]:5000/app:latest, [::1]:5000, app, latest",
                "my_org/my__app/x-y--z.w:TAG_1, -, my_org/my__app/x-y--z.w, TAG_1"
            })
    void parsesRegistryRepositoryAndTag(String reference, String registry, String repository, String tag) {
        assertThat(ImageReference.parse(reference)).contains(new ImageReference(registry, repository, tag, null));
    }

    @Test
    void parsesDigestsWithAndWithoutTag() {
        assertThat(ImageReference.parse("ghcr.io/org/app@" + DIGEST))
                .contains(new ImageReference("ghcr.io", "org/app", null, DIGEST));
        assertThat(ImageReference.parse("app:1.0@" + DIGEST)).contains(new ImageReference(null, "app", "1.0", DIGEST));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Nginx",
                "nginx:",
                "nginx:-tag",
                ":tag",
                "/app",
                "app/",
                "a//b",
                "a/B",
                "app@sha256:abc",
                "app@md5:0123456789abcdef0123456789abcdef",
                "app:tag:again",
                "app name",
                "-app",
                "app_",
                "ghcr.io:/app",
                "app\n"
            })
    void rejectsInvalidReferences(String reference) {
        assertThat(ImageReference.isValid(reference)).isFalse();
    }

    @Test
    void rejectsOverlongNamesAndTags() {
        assertThat(ImageReference.isValid("a".repeat(255))).isTrue();
        assertThat(ImageReference.isValid("a".repeat(256))).isFalse();
        assertThat(ImageReference.isValid("app:" + "t".repeat(128))).isTrue();
        assertThat(ImageReference.isValid("app:" + "t".repeat(129))).isFalse();
    }

    @Test
    @Timeout(value = 2)
    void hostileInputIsRejectedQuickly() {
        long start = System.nanoTime();
        for (String hostile : new String[] {"a-".repeat(250) + "!", "a.".repeat(250) + "/", "a__".repeat(170) + "_"}) {
            assertThat(ImageReference.isValid(hostile)).isFalse();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void knowsARegistryHost() {
        for (String registry :
                List.of("ghcr.io", "registry.example.com:5000", "127.0.0.1:5000", "localhost", "[::1]:5000")) {
            assertThat(ImageReference.isRegistry(registry)).as(registry).isTrue();
        }
        for (String other : List.of("", "ghcr.io/x", "https://ghcr.io", "a..b", "-x.io", "x.io:port", "a b")) {
            assertThat(ImageReference.isRegistry(other)).as(other).isFalse();
        }
        assertThat(ImageReference.isRegistry(null)).isFalse();
    }

    @Test
    void knowsWhichRepositoryOfWhichRegistryAnImageIsFrom() {
        ImageReference hub = ImageReference.parse("nginx:1.25").orElseThrow();
        ImageReference local =
                ImageReference.parse("127.0.0.1:5000/team/app:1.0").orElseThrow();

        assertThat(hub.isFrom("docker.io", "library/nginx")).isTrue();
        assertThat(hub.isFrom("index.docker.io", "nginx")).isTrue();
        assertThat(hub.isFrom("ghcr.io", "library/nginx")).isFalse();
        assertThat(local.isFrom("127.0.0.1:5000", "team/app")).isTrue();
        assertThat(local.isFrom("127.0.0.1:5000", "team/app2")).isFalse();
        assertThat(local.isFrom("localhost:5000", "team/app"))
                .as("another name of the host")
                .isFalse();
    }

    @Test
    void writesItselfWithAnotherTagAndDigest() {
        ImageReference pinned =
                ImageReference.parse("ghcr.io/org/app:1.0@" + DIGEST).orElseThrow();

        assertThat(pinned.withVersion("1.1", null)).isEqualTo("ghcr.io/org/app:1.1");
        assertThat(pinned.withVersion(null, DIGEST)).isEqualTo("ghcr.io/org/app@" + DIGEST);
        assertThat(ImageReference.parse("nginx").orElseThrow().withVersion("1.25", null))
                .isEqualTo("nginx:1.25");
    }
}
