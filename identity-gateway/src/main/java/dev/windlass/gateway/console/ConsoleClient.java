package dev.windlass.gateway.console;

import dev.windlass.gateway.config.GatewayConfig;
import dev.windlass.gateway.web.RequestIds;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;

/**
 * The console's calls to the services, made server-side with the signed-in user's access token (the same token the
 * proxy forwards), non-blocking on the Vert.x web client. Every answer comes back as a {@link Reply}, errors included.
 */
@ApplicationScoped
public class ConsoleClient {

    private final WebClient client;
    private final GatewayConfig config;

    ConsoleClient(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setFollowRedirects(false)
                        .setUserAgent("windlass-console"));
    }

    /** Who calls: the access token of the signed-in user (null when the session has none) and the request id. */
    public record Caller(String token, String requestId) {

        /** The caller behind {@code identity}; read while the request is being handled. */
        public static Caller of(SecurityIdentity identity, String requestId) {
            AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
            return new Caller(credential == null ? null : credential.getToken(), requestId);
        }
    }

    /** A registry-service call. */
    public Uni<Reply> registry(Caller caller, HttpMethod method, String path, JsonObject body) {
        return call(config.registryUrl(), caller, method, path, body, Map.of());
    }

    /** A registry-service call with extra headers (e.g. If-Match). */
    public Uni<Reply> registry(
            Caller caller, HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        return call(config.registryUrl(), caller, method, path, body, headers);
    }

    /** A deployer-service call. */
    public Uni<Reply> deployer(Caller caller, HttpMethod method, String path, JsonObject body) {
        return call(config.deployerUrl(), caller, method, path, body, Map.of());
    }

    /** A deployer-service call whose answer is plain text (a container's log), or a problem when it fails. */
    public Uni<Reply> deployerText(Caller caller, String path) {
        return call(
                config.deployerUrl(),
                caller,
                HttpMethod.GET,
                path,
                null,
                Map.of("Accept", "text/plain, application/problem+json"));
    }

    private Uni<Reply> call(
            URI base, Caller caller, HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        if (caller.token() == null) {
            return Uni.createFrom().item(Reply.failure(401, "You are not signed in."));
        }
        String url = base.toString().replaceAll("/+$", "") + path;
        HttpRequest<Buffer> request = client.requestAbs(method, url)
                .timeout(config.firstByteTimeout().toMillis())
                .putHeader("Authorization", "Bearer " + caller.token())
                .putHeader("Accept", "application/json");
        if (caller.requestId() != null) {
            request.putHeader(RequestIds.HEADER, caller.requestId());
        }
        headers.forEach(request::putHeader);
        Uni<io.vertx.mutiny.ext.web.client.HttpResponse<Buffer>> sent =
                body == null ? request.send() : request.sendJsonObject(body);
        return sent.map(response ->
                        Reply.of(response.statusCode(), response.getHeader("ETag"), response.bodyAsString()))
                .onFailure()
                .recoverWithItem(ConsoleClient::unanswered);
    }

    /** A call that got no answer: too slow (a timeout), or the service could not be reached at all. */
    static Reply unanswered(Throwable failure) {
        boolean timedOut = failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof io.netty.channel.ConnectTimeoutException
                || failure.getClass().getSimpleName().contains("TimeoutException");
        return timedOut
                ? Reply.failure(504, "The service did not answer in time; try again.")
                : Reply.failure(503, "The service is not available right now; try again.");
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }
}
