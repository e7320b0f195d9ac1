package dev.windlass.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Injection attempts through filters, ids and headers (answered 4xx or empty, never 5xx, never more than asked
 * for), and failed authentications at every service: refused, logged, and logged without the token.
 */
@Order(4)
class SecurityProbeTest {

    private static final List<String> PAYLOADS = List.of(
            "' or '1'='1",
            "x' or 1=1 --",
            "x'; drop table deployments; --",
            "x\" or \"\"=\"",
            "%",
            "_",
            "%%",
            "\\",
            "..",
            "../../../../etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "%00",
            "$where: 1",
            "{\"$gt\":\"\"}",
            "*",
            "${jndi:ldap://127.0.0.1:1/x}",
            "<script>alert(1)</script>");

    @Test
    void injectionThroughFiltersAndIdsFindsNothingAndBreaksNothing() throws Exception {
        LocalSuite suite = Reliability.suite();
        String viewer = Reliability.target().token(DevUser.VIEWER);
        int tried = 0;
        for (String payload : PAYLOADS) {
            String p = FuzzTest.encode(payload);
            for (String filter : List.of("orchestrator", "namespace", "app")) {
                tried++;
                emptyOrRefused(
                        Reliability.http().get(suite.gatewayUrl() + "/api/deployments?" + filter + "=" + p, viewer));
            }
            tried++;
            refused(Reliability.http().get(suite.gatewayUrl() + "/api/deployments?phase=" + p, viewer));
            for (String filter : List.of("nameContains", "type", "environment", "status")) {
                tried++;
                emptyOrRefused(
                        Reliability.http().get(suite.gatewayUrl() + "/api/orchestrators?" + filter + "=" + p, viewer));
            }
            for (String path : List.of(
                    "/api/deployments/" + p,
                    "/api/deployments/" + p + "/events",
                    "/api/orchestrators/" + p,
                    "/api/orchestrators/" + p + "/audit",
                    "/api/apps/" + p + "/" + p + "/" + p + "/revisions",
                    "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + p + "/revisions",
                    "/api/apps/" + p + "/" + p + "/" + p + "/status",
                    "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + p + "/status",
                    "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + p + "/status/stream",
                    "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + p + "/events",
                    "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + p + "/pods/" + p + "/log")) {
                tried++;
                refused(Reliability.http().get(suite.gatewayUrl() + path, viewer));
            }
            tried++;
            refused(Reliability.http()
                    .send(Http.request(
                                    suite.gatewayUrl() + "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE
                                            + "/" + p,
                                    Reliability.target().token(DevUser.DEPLOYER))
                            .DELETE()
                            .build()));
        }
        // raw traversal in the path, not encoded: never reaches anything outside the API
        for (String raw : List.of(
                "/api/deployments/../../q/health",
                "/api/../internal/orchestrators/reliability/connection",
                "/internal/orchestrators/" + Target.ORCHESTRATOR + "/connection",
                "/api/deployments/%2e%2e/%2e%2e/internal")) {
            tried++;
            Http.Answer answer = Reliability.http().get(suite.gatewayUrl() + raw, viewer);
            assertThat(answer.status()).as(raw).isLessThan(500);
            assertThat(answer.body())
                    .as(raw)
                    .doesNotContain(Reliability.target().serviceAccountToken());
            assertThat(answer.body()).as(raw).doesNotContain("\"token\"");
        }
        // header injection: a request id that is not plain is replaced, never echoed
        for (String id : List.of("<script>", "a b", "x".repeat(200), "id;rm -rf", "\u00e9t\u00e9")) {
            tried++;
            Http.Answer answer = Reliability.http()
                    .send(Http.request(suite.gatewayUrl() + "/api/deployments?size=1", viewer)
                            .header("X-Request-Id", id)
                            .GET()
                            .build());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("X-Request-Id")).isPresent().get().isNotEqualTo(id);
        }
        Reliability.report().figure("security", "injection attempts (filters, ids, paths, headers)", tried);
    }

    @Test
    void failedAuthenticationsAreLoggedWithoutTheToken() throws Exception {
        LocalSuite suite = Reliability.suite();
        Path logs = suite.options().state().resolve("logs");
        String marker = "rel" + UUID.randomUUID().toString().replace("-", "");
        String expired = suite.oidc()
                .token(
                        Map.of("sub", marker, "aud", "windlass", "groups", List.of("windlass-admins")),
                        Duration.ofSeconds(-120));
        String garbage = "not-a-jwt-" + marker;
        String forged = forgedUnsigned(marker);
        List<String> tokens = List.of(expired, garbage, forged);
        int attempts = 0;
        List<String> missing = new ArrayList<>();
        for (var service : List.of(LocalSuite.GATEWAY, LocalSuite.REGISTRY, LocalSuite.DEPLOYER)) {
            String url = suite.service(service).url()
                    + (service.equals(LocalSuite.REGISTRY) ? "/api/orchestrators" : "/api/deployments");
            Path log = logs.resolve(service + ".log");
            long before = Files.size(log);
            for (String token : tokens) {
                attempts++;
                Http.Answer answer =
                        Reliability.http().send(Http.request(url, token).GET().build());
                assertThat(answer.status()).as(service + " with a bad token").isEqualTo(401);
                assertThat(answer.isProblem()).isTrue();
                assertThat(answer.body()).doesNotContain(token);
            }
            Thread.sleep(1000);
            String appended = tail(log, before);
            for (String token : tokens) {
                assertThat(appended).as(service + " log").doesNotContain(token);
            }
            if (!appended.toLowerCase(java.util.Locale.ROOT).contains("authentication failed")) {
                missing.add(service);
            }
        }
        Reliability.report().figure("security", "failed authentications tried (3 services x 3 tokens)", attempts);
        assertThat(missing)
                .as("services that did not log a failed authentication")
                .isEmpty();
    }

    private static String forgedUnsigned(String marker) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(
                ("{\"sub\":\"" + marker + "\",\"groups\":[\"windlass-admins\"],\"aud\":\"windlass\"}")
                        .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    private static String tail(Path file, long from) throws java.io.IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(
                all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
    }

    private static void refused(Http.Answer answer) {
        assertThat(answer.status()).as("status; " + answer.body()).isBetween(400, 499);
        assertThat(answer.isProblem()).as("problem body").isTrue();
    }

    private static void emptyOrRefused(Http.Answer answer) throws Exception {
        assertThat(answer.status()).as("status; " + answer.body()).isLessThan(500);
        if (answer.status() == 200) {
            JsonNode page = Target.JSON.readTree(answer.body());
            assertThat(page.get("total").asLong())
                    .as("matches; " + answer.body())
                    .isZero();
        } else {
            refused(answer);
        }
    }
}
