package dev.windlass.gateway.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.windlass.gateway.config.GatewayConfig;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The startup check end to end against a provider served over HTTP, shaped like Authentik with and without key. */
class SigningKeyCheckTest {

    private HttpServer provider;
    private volatile String jwks;

    @BeforeEach
    void startProvider() throws Exception {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = issuer();
        provider.createContext(
                "/application/o/windlass/.well-known/openid-configuration",
                exchange -> respond(
                        exchange,
                        "{\"issuer\":\"" + issuer + "/\",\"jwks_uri\":\"" + issuer + "/jwks/\","
                                + "\"id_token_signing_alg_values_supported\":[\"HS256\"]}"));
        provider.createContext("/application/o/windlass/jwks/", exchange -> respond(exchange, jwks));
        provider.start();
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
    }

    @Test
    void failsStartupAgainstAProviderWithoutSigningKey() {
        jwks = "{\"keys\":[]}";

        assertThatThrownBy(() -> check(true).onStart(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publishes no RSA or EC signing key")
                .hasMessageContaining("Providers → windlass");
    }

    @Test
    void startsAgainstAProviderWithAnRsaKeyOrWhenTheCheckIsOff() {
        jwks = "{\"keys\":[]}";
        assertThatCode(() -> check(false).onStart(null)).doesNotThrowAnyException();

        jwks =
                "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"k\",\"n\":\"sXch\",\"e\":\"AQAB\"}]}";
        assertThatCode(() -> check(true).onStart(null)).doesNotThrowAnyException();
    }

    @Test
    void anUnreachableProviderIsNoStartupFailure() {
        provider.stop(0);
        assertThatCode(() -> check(true).onStart(null)).doesNotThrowAnyException();
    }

    private String issuer() {
        return "http://127.0.0.1:" + provider.getAddress().getPort() + "/application/o/windlass";
    }

    private SigningKeyCheck check(boolean required) {
        GatewayConfig config = (GatewayConfig) Proxy.newProxyInstance(
                GatewayConfig.class.getClassLoader(), new Class<?>[] {GatewayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("requireAsymmetricSigningKey")) {
                        return required;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        // Authentik's issuer URL ends with a slash
        return new SigningKeyCheck(config, Optional.of(issuer() + "/"));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
