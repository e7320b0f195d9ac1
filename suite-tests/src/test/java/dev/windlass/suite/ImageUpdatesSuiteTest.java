package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.OciRegistry;
import dev.windlass.devstack.local.LocalOrchestrators;
import dev.windlass.devstack.local.LocalSuite;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The local suite's registry tells Windlass of each push through the gateway, as a registry in production would:
 * an app whose policy takes the pushed tag is updated and rolled out, one whose policy does not take it is left.
 */
class ImageUpdatesSuiteTest {

    @Test
    void aTagPushedToTheSuitesRegistryUpdatesTheAppWhosePolicyTakesIt() throws Exception {
        LocalSuite suite = RunningSuite.get();
        OciRegistry images = suite.images();
        Assumptions.assumeTrue(images != null, "Debian's docker-registry is not installed: .ci/run installs it");
        suite.registerOrchestrators(false);
        String repository = "demo/web-" + UUID.randomUUID().toString().substring(0, 8);
        String image = images.host() + "/" + repository;
        images.push(repository, "1.0.0", "1.0.0");
        String app = deploy(suite, "patched", image + ":1.0.0", "patch");
        String held = deploy(suite, "held", image + ":1.0.0", "none");

        images.push(repository, "1.1.0", "a minor step the patch policy leaves");
        String digest = images.push(repository, "1.0.1", "a patch");

        JsonNode update = await().atMost(Duration.ofMinutes(2))
                .until(
                        () -> newest(suite, app),
                        d -> d != null
                                && d.path("action").asText().equals("UPDATE_IMAGE")
                                && d.path("phase").asText().equals("SUCCEEDED"));
        assertThat(update.path("image").asText()).isEqualTo(image + ":1.0.1");
        assertThat(update.path("requestedBy").path("subject").asText()).isEqualTo("system:windlass-image-updates");
        assertThat(update.path("reason").asText())
                .isEqualTo("image update policy patch took " + image + ":1.0.1@" + digest);
        assertThat(RunningSuite.image(suite, "demo", app)).isEqualTo(image + ":1.0.1");
        // every push was told in order, so the 1.1.0 push was read before 1.0.1's: neither app took it
        assertThat(GatewayCalls.get(suite, "/api/deployments?app=" + app).path("items"))
                .hasSize(2);
        assertThat(GatewayCalls.get(suite, "/api/deployments?app=" + held).path("items"))
                .hasSize(1);
    }

    private static String deploy(LocalSuite suite, String prefix, String image, String policy) throws Exception {
        String app = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = GatewayCalls.asAdmin(
                suite,
                "POST",
                "/api/deployments",
                GatewayCalls.JSON.writeValueAsString(java.util.Map.of(
                        "orchestrator",
                        LocalOrchestrators.LOCAL,
                        "namespace",
                        "demo",
                        "spec",
                        java.util.Map.of(
                                "name", app, "image", image, "imageUpdates", java.util.Map.of("policy", policy)))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2))
                .until(() -> newest(suite, app).path("phase").asText().equals("SUCCEEDED"));
        return app;
    }

    private static JsonNode newest(LocalSuite suite, String app) throws Exception {
        JsonNode items = GatewayCalls.get(suite, "/api/deployments?app=" + app).path("items");
        return items.isEmpty() ? GatewayCalls.JSON.nullNode() : items.get(0);
    }
}
