package dev.windlass.gateway.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.gateway.support.TestBackends;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** The proxy against two small real HTTP services started by the test. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "kafka", value = "false"))
@WithTestResource(TestBackends.class)
class ProxyTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TestHTTPResource("/")
    URL gateway;

    private static String admin() {
        return DevStack.oidc().accessToken(DevUser.ADMIN);
    }

    @Test
    void forwardsMethodPathQueryHeadersAndBodyWithTheCallersToken() {
        String token = admin();

        JsonPath echo = given().auth()
                .oauth2(token)
                .header("X-Request-Id", "req-forward-1")
                .header("X-Custom", "kept")
                .cookie("q_session_other", "never-forwarded")
                .contentType("application/json")
                .body("{\"app\":\"whoami\"}")
                .post("/api/deployments/whoami/rollback?revision=3&dry=true")
                .then()
                .statusCode(200)
                .header("X-Request-Id", "req-forward-1")
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue())
                .extract()
                .jsonPath();

        assertThat(echo.getString("backend")).isEqualTo("deployer");
        assertThat(echo.getString("method")).isEqualTo("POST");
        assertThat(echo.getString("path")).isEqualTo("/api/deployments/whoami/rollback");
        assertThat(echo.getString("query")).isEqualTo("revision=3&dry=true");
        assertThat(echo.getString("body")).isEqualTo("{\"app\":\"whoami\"}");
        assertThat(echo.getString("headers.authorization")).isEqualTo("Bearer " + token);
        assertThat(echo.getString("headers.x-request-id")).isEqualTo("req-forward-1");
        assertThat(echo.getString("headers.x-custom")).isEqualTo("kept");
        assertThat(echo.getString("headers.x-forwarded-proto")).isEqualTo("http");
        assertThat(echo.getMap("headers")).doesNotContainKey("cookie");
    }

    @Test
    void imageWebhooksReachTheDeployerWithTheirOwnCredentialsAndNoUserToken() {
        JsonPath echo = given().header("Authorization", "Bearer registry-shared-secret")
                .header("X-Hub-Signature-256", "sha256=abc")
                .contentType("application/json")
                .body("{\"events\":[]}")
                .post("/hooks/images/distribution?token=t")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(echo.getString("backend")).isEqualTo("deployer");
        assertThat(echo.getString("path")).isEqualTo("/hooks/images/distribution");
        assertThat(echo.getString("query")).isEqualTo("token=t");
        // the registry's own proof goes through as it was sent: the deployer checks it
        assertThat(echo.getString("headers.authorization")).isEqualTo("Bearer registry-shared-secret");
        assertThat(echo.getString("headers.x-hub-signature-256")).isEqualTo("sha256=abc");
        // only a POST to one format's path is a webhook; nothing else under /hooks reaches a service
        int before = TestBackends.deployer().received().size();
        given().get("/hooks/images/distribution").then().statusCode(org.hamcrest.Matchers.not(200));
        given().post("/hooks/images/a/b").then().statusCode(org.hamcrest.Matchers.not(200));
        assertThat(TestBackends.deployer().received()).hasSize(before);
    }

    @Test
    void aViewerMayApproveAnImageUpdateButChangesNothingElse() {
        String viewer = DevStack.oidc().accessToken(DevUser.VIEWER);
        JsonPath echo = given().auth()
                .oauth2(viewer)
                .post("/api/apps/home/shop/web/image-updates/9f8e7d6c-5b4a-4321-8fed-cba987654321/approvals")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(echo.getString("backend")).isEqualTo("deployer");
        given().auth()
                .oauth2(viewer)
                .post("/api/apps/home/shop/web/image-updates/9f8e7d6c-5b4a-4321-8fed-cba987654321")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(viewer)
                .post("/api/apps/home/shop/web/rollback")
                .then()
                .statusCode(403);
    }

    @Test
    void routesEachPrefixToItsService() {
        String token = admin();
        assertThat(backendOf(token, "/api/orchestrators")).isEqualTo("registry");
        assertThat(backendOf(token, "/api/orchestrators/k3s-home/test")).isEqualTo("registry");
        assertThat(backendOf(token, "/api/deployments")).isEqualTo("deployer");
        assertThat(backendOf(token, "/api/apps/whoami")).isEqualTo("deployer");
        assertThat(backendOf(token, "/api/sealing-keys")).isEqualTo("deployer");
        assertThat(backendOf(token, "/api/image-registries/ghcr.io")).isEqualTo("deployer");
    }

    @Test
    void registryAccountsAreForAdminsOnlyReadingIncluded() {
        given().get("/api/image-registries").then().statusCode(401);
        for (DevUser user : new DevUser[] {DevUser.VIEWER, DevUser.DEPLOYER}) {
            given().auth()
                    .oauth2(DevStack.oidc().accessToken(user))
                    .get("/api/image-registries")
                    .then()
                    .statusCode(403);
            given().auth()
                    .oauth2(DevStack.oidc().accessToken(user))
                    .contentType("application/json")
                    .body("{\"username\":\"u\",\"password\":\"p\"}")
                    .put("/api/image-registries/ghcr.io")
                    .then()
                    .statusCode(403);
        }
        assertThat(backendOf(admin(), "/api/image-registries")).isEqualTo("deployer");
    }

    @Test
    void theSealingKeyIsForAnySignedInCallerAndItsRotationForAdmins() {
        given().get("/api/sealing-keys").then().statusCode(401);
        assertThat(backendOf(DevStack.oidc().accessToken(DevUser.VIEWER), "/api/sealing-keys"))
                .isEqualTo("deployer");
        given().post("/api/sealing-keys/rotation").then().statusCode(401);
        given().auth()
                .oauth2(DevStack.oidc().accessToken(DevUser.DEPLOYER))
                .post("/api/sealing-keys/rotation")
                .then()
                .statusCode(403);
    }

    @Test
    void createsARequestIdWhenTheCallerSendsNoneOrAMalformedOne() {
        for (String sent : new String[] {null, "bad id with spaces\t"}) {
            var request = given().auth().oauth2(admin());
            if (sent != null) {
                request.header("X-Request-Id", sent);
            }
            var response =
                    request.get("/api/orchestrators").then().statusCode(200).extract();
            String id = response.header("X-Request-Id");
            assertThat(id).matches(UUID_PATTERN);
            assertThat(response.jsonPath().getString("headers.x-request-id")).isEqualTo(id);
        }
    }

    @Test
    void logsEachProxiedRequestWithItsRequestId() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // the MDC belongs to the logging thread's request: snapshot it now
                ((ExtLogRecord) record).copyMdc();
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(ProxyHandler.class.getName());
        logger.addHandler(capture);
        try {
            given().auth()
                    .oauth2(admin())
                    .header("X-Request-Id", "req-logged-7")
                    .get("/api/apps/logged")
                    .then()
                    .statusCode(200);

            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> records.stream().anyMatch(r -> r.getMessage().contains("/api/apps/logged")));
            LogRecord line = records.stream()
                    .filter(r -> r.getMessage().contains("/api/apps/logged"))
                    .findFirst()
                    .orElseThrow();
            assertThat(((ExtLogRecord) line).getMdc("requestId")).isEqualTo("req-logged-7");
            assertThat(line.getMessage()).contains("deployer-service 200");
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void streamsServerSentEventsAsTheServiceWritesThem() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(gateway + "api/deployments/d-1/events?count=3&intervalMs=600"))
                .header("Authorization", "Bearer " + admin())
                .header("Accept", "text/event-stream")
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Long> arrivals = new ArrayList<>();
        List<String> events = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring("data: ".length()));
                    arrivals.add((System.nanoTime() - start) / 1_000_000);
                }
            }
        }

        assertThat(events).containsExactly("event 1", "event 2", "event 3");
        // unbuffered: each event arrives about when the service wrote it, not all together at the end
        assertThat(arrivals.get(2) - arrivals.get(0)).isGreaterThanOrEqualTo(900);
    }

    @Test
    void streamsALargeRequestBodyThrough() throws Exception {
        byte[] body = "0123456789abcdef".repeat(128 * 1024).getBytes(StandardCharsets.US_ASCII); // 2 MiB
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "api/apps/big"))
                .header("Authorization", "Bearer " + admin())
                .header("Content-Type", "application/octet-stream")
                // an input stream publisher has no length: the body goes chunked, as a streaming client sends it
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject echo = new JsonObject(response.body());
        assertThat(echo.getString("body")).hasSize(body.length).isEqualTo(new String(body, StandardCharsets.US_ASCII));
    }

    @Test
    void refusesABodyOverTheLimitBeforeReachingTheService() throws Exception {
        int before = TestBackends.deployer().received().size();
        String head = "POST /api/deployments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (11 * 1024 * 1024) + "\r\n\r\n{";
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
        assertThat(TestBackends.deployer().received()).hasSize(before);
    }

    @Test
    void internalPathsAreNotFoundAndNeverReachAService() {
        int registry = TestBackends.registry().received().size();
        int deployer = TestBackends.deployer().received().size();

        for (String path : new String[] {"/internal/x", "/internal/orchestrators/k3s-home/credentials"}) {
            given().auth()
                    .oauth2(DevStack.oidc().serviceToken())
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", is(404));
        }
        given().auth()
                .oauth2(admin())
                .urlEncodingEnabled(false)
                .get("/api/orchestrators/../../internal/x")
                .then()
                .statusCode(404);

        assertThat(TestBackends.registry().received()).hasSize(registry);
        assertThat(TestBackends.deployer().received()).hasSize(deployer);
    }

    @Test
    void aServiceThatIsDownIsA502NamingIt() {
        TestBackends.deployer().stop();
        try {
            given().auth()
                    .oauth2(admin())
                    .header("X-Request-Id", "req-down-1")
                    .get("/api/deployments")
                    .then()
                    .statusCode(502)
                    .contentType("application/problem+json")
                    .body("status", is(502))
                    .body("title", is("Bad Gateway"))
                    .body("detail", is("deployer-service is unavailable."))
                    .body("instance", is("/api/deployments"))
                    .body("requestId", is("req-down-1"));
        } finally {
            TestBackends.deployer().start();
        }
        given().auth().oauth2(admin()).get("/api/deployments").then().statusCode(200);
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504NamingIt() {
        given().auth()
                .oauth2(admin())
                .get("/api/orchestrators/slow?delayMs=6000")
                .then()
                .statusCode(504)
                .contentType("application/problem+json")
                .body("title", is("Gateway Timeout"))
                .body("detail", matchesPattern("registry-service did not answer within 2000 ms\\."))
                .header("X-Request-Id", matchesPattern(UUID_PATTERN));
    }

    @Test
    void refusesAnonymousCallsWithoutRedirecting() {
        given().redirects()
                .follow(false)
                .get("/api/orchestrators")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    private static String backendOf(String token, String path) {
        return given().auth()
                .oauth2(token)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("backend");
    }
}
