package dev.windlass.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small real HTTP service for the proxy tests. It answers every request with a JSON echo of method, path,
 * query, headers and body; {@code ?delayMs=N} holds the answer back; a path ending in {@code /events} streams
 * {@code count} server-sent events {@code intervalMs} apart. It can be stopped and started on the same port.
 */
public final class TestBackend {

    private static final Vertx VERTX = Vertx.vertx();

    private final String name;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final Map<String, Canned> canned = new ConcurrentHashMap<>();
    private volatile int port;
    private HttpServer server;

    TestBackend(String name) {
        this.name = name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A fixed answer (JSON) to {@code method path} instead of the echo, until {@link #clearAnswers()}. */
    public TestBackend answer(String method, String path, int status, String json) {
        canned.put(method + " " + path, new Canned(status, json));
        return this;
    }

    /** Back to echoing every request. */
    public void clearAnswers() {
        canned.clear();
    }

    private record Canned(int status, String json) {}

    /** Requests received so far, as echoed. */
    public List<JsonObject> received() {
        return List.copyOf(received);
    }

    public synchronized TestBackend start() {
        if (server == null) {
            HttpServer created = VERTX.createHttpServer(new HttpServerOptions().setReuseAddress(true))
                    .requestHandler(this::handle);
            server = await(created.listen(port, "127.0.0.1").toCompletionStage());
            port = server.actualPort();
        }
        return this;
    }

    /** Stops listening: connections are refused until {@link #start()}, which reuses the port. */
    public synchronized void stop() {
        if (server != null) {
            await(server.close().toCompletionStage());
            server = null;
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject echo = echo(request, body);
            received.add(echo);
            Canned fixed = canned.get(request.method().name() + " " + request.path());
            if (fixed != null) {
                request.response()
                        .setStatusCode(fixed.status())
                        .putHeader(
                                "Content-Type", fixed.status() >= 400 ? "application/problem+json" : "application/json")
                        .end(fixed.json());
                return;
            }
            long delay = Long.parseLong(param(request, "delayMs", "0"));
            if (request.path().endsWith("/events")) {
                streamEvents(
                        request,
                        Integer.parseInt(param(request, "count", "3")),
                        Long.parseLong(param(request, "intervalMs", "400")));
            } else if (delay > 0) {
                VERTX.setTimer(delay, id -> answer(request, echo));
            } else {
                answer(request, echo);
            }
        });
    }

    private JsonObject echo(HttpServerRequest request, Buffer body) {
        JsonObject headers = new JsonObject();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.put(header.getKey().toLowerCase(), header.getValue());
        }
        return new JsonObject()
                .put("backend", name)
                .put("method", request.method().name())
                .put("path", request.path())
                .put("query", request.query())
                .put("headers", headers)
                .put("body", body.toString());
    }

    private static void answer(HttpServerRequest request, JsonObject echo) {
        if (request.response().closed()) {
            return;
        }
        request.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Set-Cookie", "backend=leaked")
                .end(echo.encode());
    }

    private static void streamEvents(HttpServerRequest request, int count, long intervalMs) {
        request.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        request.response().write(": stream opened\n\n");
        sendEvent(request, 1, count, intervalMs);
    }

    private static void sendEvent(HttpServerRequest request, int n, int count, long intervalMs) {
        VERTX.setTimer(intervalMs, id -> {
            if (request.response().closed()) {
                return;
            }
            request.response().write("id: " + n + "\ndata: event " + n + "\n\n");
            if (n < count) {
                sendEvent(request, n + 1, count, intervalMs);
            } else {
                request.response().end();
            }
        });
    }

    private static String param(HttpServerRequest request, String name, String fallback) {
        String value = request.getParam(name);
        return value == null ? fallback : value;
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test backend failed to start or stop", e);
        }
    }
}
