package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.windlass.deployer.service.ImageRegistries.Access;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What no real registry here does on demand: rate limits ({@code 429} with {@code Retry-After}) and a {@code Link}
 * to another host. A small HTTP server plays the registry; the token dance and paging on a real registry are in
 * {@link ImagePollTest}.
 */
class OciRegistryClientTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String retryAfter;
    private volatile String link;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"name\":\"shop/web\",\"tags\":[\"1.0.0\",\"1.1.0\"]}".getBytes(StandardCharsets.UTF_8);
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            if (link != null) {
                exchange.getResponseHeaders().add("Link", link);
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OciRegistryClient client() {
        return new OciRegistryClient(HttpClient.newHttpClient(), new ObjectMapper(), Clock.systemUTC(), 1000);
    }

    private Access access() {
        return new Access("127.0.0.1:" + server.getAddress().getPort(), true, null, null);
    }

    @Test
    void aRateLimitStopsEveryRequestToTheRegistryUntilItsRetryAfter() {
        OciRegistryClient client = client();
        status = 429;
        retryAfter = "120";

        assertThatThrownBy(() -> client.tags(access(), "shop/web").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(RegistryPollException.class)
                .hasMessageContaining("answered 429: waiting until");
        status = 200;
        assertThatThrownBy(() ->
                        client.digest(access(), "shop/web", "1.0.0").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(RegistryPollException.class)
                .hasMessageContaining("asked to wait until");
        assertThat(requests).as("the second call never reached the registry").hasValue(1);
        // another client (after the wait, say) reads again
        assertThat(client().tags(access(), "shop/web").await().atMost(Duration.ofSeconds(10)))
                .containsExactly("1.0.0", "1.1.0");
    }

    @Test
    void aRegistryThatIsAwayIsSaidToBeSoWithWhatTheNetworkSaid() throws IOException {
        int nobody;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        Access away = new Access("127.0.0.1:" + nobody, true, null, null);

        assertThatThrownBy(() -> client().tags(away, "shop/web").await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(RegistryPollException.class)
                .hasMessage(away.host() + " did not answer: ConnectException");
    }

    @Test
    void aLinkToAnotherHostIsNotFollowed() {
        link = "<http://elsewhere.example.com/v2/shop/web/tags/list?last=1.1.0&n=2>; rel=\"next\"";

        assertThat(client().tags(access(), "shop/web").await().atMost(Duration.ofSeconds(10)))
                .containsExactly("1.0.0", "1.1.0");
        assertThat(requests).hasValue(1);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateWithinAMinuteDefaultAndAnHourAtMost() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

        assertThat(OciRegistryClient.retryAfter(Optional.of("30"), clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(OciRegistryClient.retryAfter(Optional.of("Sun, 06 Dec 2026 10:05:00 GMT"), clock))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(OciRegistryClient.retryAfter(Optional.empty(), clock)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OciRegistryClient.retryAfter(Optional.of("soon"), clock)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OciRegistryClient.retryAfter(Optional.of("86400"), clock)).isEqualTo(Duration.ofHours(1));
        assertThat(OciRegistryClient.retryAfter(Optional.of("0"), clock)).isEqualTo(Duration.ofSeconds(1));
        for (String past : List.of("Sun, 06 Dec 2026 09:00:00 GMT")) {
            assertThat(OciRegistryClient.retryAfter(Optional.of(past), clock)).isEqualTo(Duration.ofSeconds(1));
        }
    }
}
