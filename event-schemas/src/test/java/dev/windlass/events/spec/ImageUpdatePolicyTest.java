package dev.windlass.events.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.validation.ImageReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageUpdatePolicyTest {

    private static final String OLD = "sha256:" + "a".repeat(64);
    private static final String NEW = "sha256:" + "b".repeat(64);

    /** Tags pushed after an app running 1.2.3: semver ones up and down, pre-releases, and tags that are no version. */
    private static final List<String> PUSHED = List.of(
            "1.2.2",
            "1.2.3",
            "1.2.4",
            "v1.2.5",
            "1.2.4-rc.1",
            "1.3.0",
            "1.3.0-beta.1",
            "2.0.0",
            "2.0.0-alpha",
            "1.2.4+build.7",
            "latest",
            "main-3f2a9c1",
            "1.2",
            "20261206");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "none  | ",
                "patch | 1.2.4, v1.2.5, 1.2.4+build.7",
                "minor | 1.2.4, v1.2.5, 1.3.0, 1.2.4+build.7",
                "major | 1.2.4, v1.2.5, 1.3.0, 2.0.0, 1.2.4+build.7",
                "all   | 1.2.4, v1.2.5, 1.2.4-rc.1, 1.3.0, 1.3.0-beta.1, 2.0.0, 2.0.0-alpha, 1.2.4+build.7",
                "glob:main-* | main-3f2a9c1",
                "glob:1.2.? | 1.2.2, 1.2.4",
                "force | 1.2.3"
            })
    void takesExactlyTheTagsItsPolicyAllows(String policy, String taken) {
        ImageUpdatePolicy parsed = ImageUpdatePolicy.parse(policy).orElseThrow();
        ImageReference running = ImageReference.parse("registry.example.com:5000/shop/checkout:1.2.3")
                .orElseThrow();

        List<String> took = PUSHED.stream()
                .filter(tag -> parsed.update(running, tag, NEW).isPresent())
                .toList();

        assertThat(took).containsExactlyElementsOf(taken == null ? List.of() : List.of(taken.split(",\\s*")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "none  | ",
                "patch | v1.2.5",
                "minor | 1.3.0",
                "major | 2.0.0",
                "all   | 2.0.0",
                "glob:main-* | main-3f2a9c1",
                "glob:1.2.? | 1.2.4",
                "force | "
            })
    void aPollChoosesTheHighestTagItsPolicyTakes(String policy, String chosen) {
        ImageUpdatePolicy parsed = ImageUpdatePolicy.parse(policy).orElseThrow();
        ImageReference running = ImageReference.parse("registry.example.com:5000/shop/checkout:1.2.3")
                .orElseThrow();

        assertThat(parsed.choose(running, PUSHED)).isEqualTo(java.util.Optional.ofNullable(chosen));
    }

    @Test
    void aPollUnderAGlobTakesTheLastTagInNaturalOrder() {
        ImageUpdatePolicy builds = ImageUpdatePolicy.parse("glob:build-*").orElseThrow();
        ImageReference running = ImageReference.parse("shop/web:build-9").orElseThrow();

        assertThat(builds.choose(running, List.of("build-10", "build-9", "build-2", "build-09a", "latest")))
                .contains("build-10");
        assertThat(builds.choose(running, List.of("build-9", "latest"))).isEmpty();
        assertThat(builds.choose(
                        ImageReference.parse("shop/web:build-10").orElseThrow(), List.of("build-9", "build-10")))
                .as("never back to an older build")
                .isEmpty();
        assertThat(List.of("b-10", "b-9", "b-009", "b-9a", "a-100").stream()
                        .sorted(ImageUpdatePolicy.NATURAL_ORDER)
                        .toList())
                .containsExactly("a-100", "b-009", "b-9", "b-9a", "b-10");
    }

    @Test
    void aPreReleaseFollowsOnlyAPreReleaseOfItsOwnLine() {
        ImageUpdatePolicy minor = ImageUpdatePolicy.parse("minor").orElseThrow();
        ImageReference rc = ImageReference.parse("app:v1.4.0-rc.1").orElseThrow();

        assertThat(minor.update(rc, "v1.4.0-rc.2", null)).contains("app:v1.4.0-rc.2");
        assertThat(minor.update(rc, "v1.4.0", null)).contains("app:v1.4.0");
        assertThat(minor.update(rc, "v1.5.0-beta.1", null)).isEmpty();
        assertThat(minor.update(rc, "v1.4.0-rc.0", null)).isEmpty();
        assertThat(minor.update(rc, "v2.0.0-rc.1", null)).isEmpty();
    }

    @Test
    void aTagThatIsNoVersionTakesNothingUnderTheSemverPolicies() {
        ImageReference latest = ImageReference.parse("app:latest").orElseThrow();
        for (String policy : List.of("all", "major", "minor", "patch")) {
            assertThat(ImageUpdatePolicy.parse(policy).orElseThrow().update(latest, "1.0.0", NEW))
                    .as(policy)
                    .isEmpty();
        }
    }

    @Test
    void forceTakesTheRunningTagPushedWithAnotherDigestAndNamesTheDigest() {
        ImageUpdatePolicy force = ImageUpdatePolicy.parse("force").orElseThrow();
        ImageReference pinned =
                ImageReference.parse("registry.example.com/app:latest@" + OLD).orElseThrow();
        ImageReference untagged =
                ImageReference.parse("registry.example.com/app").orElseThrow();

        assertThat(force.update(pinned, "latest", NEW)).contains("registry.example.com/app:latest@" + NEW);
        assertThat(force.update(pinned, "latest", OLD)).as("the digest it runs").isEmpty();
        assertThat(force.update(pinned, "latest", null)).as("no digest said").isEmpty();
        assertThat(force.update(pinned, "stable", NEW)).as("another tag").isEmpty();
        assertThat(force.update(untagged, "latest", NEW))
                .as("no tag means latest")
                .contains("registry.example.com/app:latest@" + NEW);
    }

    @Test
    void theSemverAndGlobPoliciesNameTheTagAndDropTheDigest() {
        ImageReference pinned =
                ImageReference.parse("ghcr.io/org/app:1.0.0@" + OLD).orElseThrow();

        assertThat(ImageUpdatePolicy.parse("patch").orElseThrow().update(pinned, "1.0.1", NEW))
                .contains("ghcr.io/org/app:1.0.1");
        assertThat(ImageUpdatePolicy.parse("glob:1.*").orElseThrow().update(pinned, "1.9", NEW))
                .contains("ghcr.io/org/app:1.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "all", "major", "minor", "patch", "force", "glob:*", "glob:release-?.*"})
    void everyFormReadsBackAsItIsWritten(String policy) {
        assertThat(ImageUpdatePolicy.parse(policy).map(ImageUpdatePolicy::text)).contains(policy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Minor", "semver", "glob:", "glob:a/b", "regexp:.*", "keel.sh/policy=minor"})
    void anythingElseIsNoPolicy(String text) {
        assertThat(ImageUpdatePolicy.parse(text)).isEmpty();
    }
}
