package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.KafkaAccess;
import dev.windlass.devstack.local.LocalOrchestrators;
import dev.windlass.devstack.local.LocalSuite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CI pipeline deploys with {@code scripts/ci-deploy.sh} exactly as docs/events.md shows it: a client-credentials
 * token of a service account in the deployers' group, then the request over HTTP through the gateway, or onto Kafka
 * with kcat (its secret value sealed by {@code scripts/SealSecret.java} first). Both reach SUCCEEDED, requested by
 * the service account, and the cluster's Secret holds the value.
 */
class CiDeployScriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "ci-script-secret-" + UUID.randomUUID();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void toolsAndTheLocalOrchestrator() throws Exception {
        for (String tool : List.of("curl", "jq", "kcat")) {
            Assumptions.assumeTrue(
                    onPath(tool), tool + " is not installed: .ci/run installs it (Debian package " + tool + ")");
        }
        // orchestrator "local", open to the deployers' group, as ./windlass-local registers it
        RunningSuite.get().registerOrchestrators(false);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"http", "kafka"})
    void deploysWithAServiceAccountsClientCredentialsToken(String door) throws Exception {
        if (door.equals("kafka")) {
            String librdkafka = librdkafkaVersion();
            Assumptions.assumeTrue(
                    atLeast(librdkafka, 2, 6, 1),
                    "kcat's librdkafka " + librdkafka + " cannot sign in to Kafka 4 with SCRAM (fixed in librdkafka"
                            + " 2.6.1; Debian 12 ships 2.0.2)");
        }
        LocalSuite suite = RunningSuite.get();
        String app = "ci-" + door + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path request = Files.createTempFile("ci-deploy", ".json");
        Files.writeString(
                request,
                JSON.writeValueAsString(Map.of(
                        "orchestrator",
                        LocalOrchestrators.LOCAL,
                        "namespace",
                        "ci",
                        "spec",
                        Map.of("name", app, "image", "nginx:1.27", "secretEnv", Map.of("DB_PASSWORD", SECRET)))));

        String id = runScript(suite, door, request.toString());

        String viewer = suite.oidc().accessToken(DevUser.VIEWER);
        Awaitility.await("deployment " + id + " SUCCEEDED")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "SUCCEEDED"
                        .equals(deployment(suite, id, viewer).path("phase").asText()));
        assertThat(deployment(suite, id, viewer)
                        .path("requestedBy")
                        .path("subject")
                        .asText())
                .isEqualTo(AuthentikIssuer.subjectOf(AuthentikIssuer.CI_ACCOUNT));
        assertThat(storedSecret(suite, app)).isEqualTo(SECRET);
        Files.delete(request);

        // a pipeline that only built a new image sends the image alone; the rest, the secret included, stays
        String update = runScript(suite, door, "--image", LocalOrchestrators.LOCAL + "/ci/" + app, "nginx:1.28");
        Awaitility.await("image update " + update + " SUCCEEDED")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "SUCCEEDED"
                        .equals(deployment(suite, update, viewer).path("phase").asText()));
        assertThat(deployment(suite, update, viewer).path("action").asText()).isEqualTo("UPDATE_IMAGE");
        assertThat(RunningSuite.image(suite, "ci", app)).isEqualTo("nginx:1.28");
        assertThat(storedSecret(suite, app)).isEqualTo(SECRET);
    }

    /** The app's DB_PASSWORD as the cluster stores it. */
    private static String storedSecret(LocalSuite suite, String app) {
        return new String(
                java.util.Base64.getDecoder()
                        .decode(suite.kube()
                                .adminClient()
                                .secrets()
                                .inNamespace("ci")
                                .withName(app + "-env")
                                .get()
                                .getData()
                                .get("DB_PASSWORD")),
                StandardCharsets.UTF_8);
    }

    /** Runs {@code scripts/ci-deploy.sh} through {@code door} as the CI service account; the deployment id. */
    private static String runScript(LocalSuite suite, String door, String... args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/ci-deploy.sh"));
        if (door.equals("kafka")) {
            command.addAll(List.of("--kafka", suite.kafka().bootstrapServers()));
        }
        command.addAll(List.of(args));
        ProcessBuilder script = new ProcessBuilder(command)
                .directory(RunningSuite.root().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        script.environment().put("WINDLASS_URL", suite.gatewayUrl());
        script.environment().put("WINDLASS_OIDC_ISSUER", suite.oidc().issuer());
        script.environment().put("WINDLASS_CI_ACCOUNT", AuthentikIssuer.CI_ACCOUNT);
        script.environment().put("WINDLASS_CI_APP_PASSWORD", AuthentikIssuer.CI_APP_PASSWORD);
        // kcat signs in to Kafka as the pipeline's own Kafka user
        script.environment()
                .put(
                        "KCAT_OPTS",
                        "-X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512 -X sasl.username="
                                + KafkaAccess.CI_PIPELINE + " -X sasl.password="
                                + suite.kafka().access().password(KafkaAccess.CI_PIPELINE));
        Process run = script.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as("ci-deploy.sh exit, printed " + out).isZero();
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    private JsonNode deployment(LocalSuite suite, String id, String token) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(suite.gatewayUrl() + "/api/deployments/" + id))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
    }

    /** The librdkafka version kcat was built with, from {@code kcat -V}. */
    private static String librdkafkaVersion() throws IOException, InterruptedException {
        Process v = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        v.waitFor(10, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("librdkafka (\\d+\\.\\d+\\.\\d+)")
                .matcher(out);
        return m.find() ? m.group(1) : "0.0.0";
    }

    private static boolean atLeast(String version, int major, int minor, int patch) {
        int[] parts = java.util.Arrays.stream(version.split("\\."))
                .mapToInt(Integer::parseInt)
                .toArray();
        return java.util.Arrays.compare(parts, new int[] {major, minor, patch}) >= 0;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
