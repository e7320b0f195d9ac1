package dev.windlass.registry.rest;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One admin session must not be able to send a cluster's stored, write-only credentials to a host of its choosing:
 * pointing an orchestrator elsewhere (URL, CA, skip-TLS, environment) needs its credentials again in the same request.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class CredentialsStayWithTheirClusterTest {

    private static RequestSpecification asAdmin() {
        return given().auth().oauth2(Tokens.admin());
    }

    @Test
    void movingTheUrlToAListenerOfOurOwnWithoutTheTokenIsRefusedAndNoCredentialArrives() throws Exception {
        try (Listener listener = new Listener()) {
            String id = createId(tokenBody(uniqueName("moved")));
            Map<String, Object> moved =
                    tokenBody(asAdmin().get("/api/orchestrators/" + id).path("name"));
            moved.put("apiServerUrl", "https://127.0.0.1:" + listener.port());
            moved.remove("token");

            asAdmin()
                    .contentType(ContentType.JSON)
                    .header("If-Match", "\"0\"")
                    .body(moved)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations[0].field", is("token"))
                    .body("violations[0].rule", is("required"))
                    .body("violations[0].message", containsString("apiServerUrl"));

            // the orchestrator still points at its own cluster: a check goes there, not to the listener
            asAdmin()
                    .post("/api/orchestrators/" + id + "/test-connection")
                    .then()
                    .statusCode(200);
            asAdmin()
                    .get("/api/orchestrators/" + id)
                    .then()
                    .body("apiServerUrl", is(Orchestrators.DEFAULT_URL))
                    .body("version", is(0));
            assertThat(listener.received()).noneMatch(text -> text.contains(Orchestrators.DEFAULT_TOKEN));
            assertThat(listener.received()).isEmpty();
        }
    }

    @Test
    void turningOffTlsVerificationOrChangingTheEnvironmentNeedsTheTokenToo() {
        for (Map.Entry<String, Object> change : Map.<String, Object>of("skipTlsVerify", true, "environment", "prod")
                .entrySet()) {
            String id = createId(tokenBody(uniqueName("elsewhere")));
            Map<String, Object> body =
                    tokenBody(asAdmin().get("/api/orchestrators/" + id).path("name"));
            body.put(change.getKey(), change.getValue());
            body.remove("token");
            asAdmin()
                    .contentType(ContentType.JSON)
                    .header("If-Match", "\"0\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(400)
                    .body("violations[0].field", is("token"))
                    .body("violations[0].message", containsString(change.getKey()));

            // with the token sent again, the same change is taken
            body.put("token", "a-token-for-the-new-place");
            asAdmin()
                    .contentType(ContentType.JSON)
                    .header("If-Match", "\"0\"")
                    .body(body)
                    .put("/api/orchestrators/" + id)
                    .then()
                    .statusCode(200)
                    .body("version", is(1));
        }
    }

    @Test
    void otherChangesKeepTheStoredCredentials() {
        String id = createId(tokenBody(uniqueName("kept")));
        Map<String, Object> body =
                tokenBody(asAdmin().get("/api/orchestrators/" + id).path("name"));
        body.remove("token");
        body.put("description", Orchestrators.UPDATED_DESCRIPTION);
        body.put("defaultNamespace", "other");
        asAdmin()
                .contentType(ContentType.JSON)
                .header("If-Match", "\"0\"")
                .body(body)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(200)
                .body("tokenSet", is(true));
    }

    /** A TCP listener that records whatever arrives (a TLS hello carries no token; a plain request would). */
    private static final class Listener implements AutoCloseable {

        private final ServerSocket socket;
        private final CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Listener() throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(this::accept, "credential-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        java.util.List<String> received() {
            return received;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(2000);
                    InputStream in = client.getInputStream();
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    byte[] buffer = new byte[4096];
                    try {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            bytes.write(buffer, 0, n);
                        }
                    } catch (IOException timeout) {
                        // what arrived so far is enough
                    }
                    received.add(bytes.toString(StandardCharsets.ISO_8859_1));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
