package dev.windlass.gateway.proxy;

import dev.windlass.gateway.config.GatewayConfig;
import dev.windlass.gateway.rest.ProblemStatus;
import dev.windlass.gateway.rest.ProblemWriter;
import dev.windlass.gateway.web.RequestIds;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Forwards one request to a service and streams the answer back, never holding a whole body: request and response
 * bodies flow chunk by chunk with back-pressure, so server-sent events arrive as the service writes them.
 */
final class ProxyHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ProxyHandler.class);

    /** How much longer than the connect timeout a request waits for a pooled connection. */
    private static final long CONNECT_REPORT_MARGIN_MS = 100;

    /** Headers that describe one connection, or that the gateway sets itself; never copied across. */
    private static final Set<String> REQUEST_HEADERS_DROPPED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "cookie",
            "authorization",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-forwarded-port");

    private static final Set<String> RESPONSE_HEADERS_DROPPED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "set-cookie");

    private final Vertx vertx;
    private final HttpClient client;
    private final Backend backend;
    private final GatewayConfig config;
    private final long maxBodySize;
    private final boolean anonymous;

    ProxyHandler(Vertx vertx, HttpClient client, Backend backend, GatewayConfig config, long maxBodySize) {
        this(vertx, client, backend, config, maxBodySize, false);
    }

    private ProxyHandler(
            Vertx vertx,
            HttpClient client,
            Backend backend,
            GatewayConfig config,
            long maxBodySize,
            boolean anonymous) {
        this.vertx = vertx;
        this.client = client;
        this.backend = backend;
        this.config = config;
        this.maxBodySize = maxBodySize;
        this.anonymous = anonymous;
    }

    /**
     * A handler for callers that have no user token and prove themselves to the service instead (registries' image
     * webhooks): their {@code Authorization} header goes through as they sent it, and no token is asked for.
     */
    static ProxyHandler anonymous(
            Vertx vertx, HttpClient client, Backend backend, GatewayConfig config, long maxBodySize) {
        return new ProxyHandler(vertx, client, backend, config, maxBodySize, true);
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest in = rc.request();
        String token = anonymous ? null : accessToken(rc);
        if (token == null && !anonymous) {
            // the permission policies let no anonymous request reach a service; this is a second lock
            ProblemWriter.write(rc, 401, ProblemWriter.UNAUTHORIZED);
            return;
        }
        String declaredLength = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declaredLength != null && parseLength(declaredLength) > maxBodySize) {
            tooLarge(rc);
            return;
        }
        // every callback of the exchange runs on the server request's own context (one event-loop thread), whichever
        // thread authentication resumed the routing on, so the exchange's state is never touched concurrently
        Context context =
                in instanceof HttpServerRequestInternal internal ? internal.context() : vertx.getOrCreateContext();
        if (Vertx.currentContext() == context) {
            start(rc, declaredLength, token);
        } else {
            context.runOnContext(v -> start(rc, declaredLength, token));
        }
    }

    private void start(RoutingContext rc, String declaredLength, String token) {
        HttpServerRequest in = rc.request();
        if (!in.isEnded()) {
            in.pause();
        }
        Exchange exchange = new Exchange(rc, System.nanoTime(), RequestIds.current(in));
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(backend.host())
                .setPort(backend.port())
                .setSsl(backend.tls())
                .setURI(backend.basePath() + rc.normalizedPath() + (in.query() == null ? "" : "?" + in.query()))
                .setHeaders(forwardedHeaders(in, token));
        // The wait for a pooled connection is bounded here, not by Vert.x's own acquisition timeout: when that timeout
        // fires just as a connection is handed to the waiting request, Vert.x fails the request and drops the
        // connection it was handed, so every such race loses a pooled connection for good (under overload all of them
        // go within seconds, and the service stays unreachable through the gateway). A request that stops waiting here
        // still receives its connection later, and hands it straight back (see send).
        // (It ends a little after the connect timeout, so that a new TCP connection not accepted in time is reported
        // as such, 504, rather than as a busy service.)
        long waitTimer = vertx.setTimer(
                config.connectTimeout().toMillis() + CONNECT_REPORT_MARGIN_MS, id -> exchange.stopWaiting());
        client.request(options).onComplete(connected -> {
            vertx.cancelTimer(waitTimer);
            if (exchange.gaveUpWaiting) {
                if (connected.succeeded()) {
                    connected.result().reset();
                }
                return;
            }
            if (connected.failed()) {
                exchange.fail(connected.cause());
                return;
            }
            try {
                exchange.send(connected.result(), declaredLength);
            } catch (RuntimeException e) {
                // never keep a pooled connection for a request that will not be sent
                connected.result().reset();
                exchange.fail(e);
            }
        });
    }

    /** One proxied request: the state shared by its callbacks. */
    private final class Exchange {
        private final RoutingContext rc;
        private final long started;
        private final String requestId;
        private HttpClientRequest out;
        private long firstByteTimer = -1;
        private boolean timedOut;
        private long bodyBytes;
        private boolean gaveUpWaiting;

        Exchange(RoutingContext rc, long started, String requestId) {
            this.rc = rc;
            this.started = started;
            this.requestId = requestId;
        }

        /** Every pooled connection stayed in use for the whole connect timeout: 503, try again shortly. */
        void stopWaiting() {
            gaveUpWaiting = true;
            fail(new BackendBusyException(backend.name(), config.maxConnectionsPerService(), config.connectTimeout()));
        }

        void send(HttpClientRequest request, String declaredLength) {
            out = request;
            HttpServerRequest in = rc.request();
            HttpServerResponse response = rc.response();
            if (response.closed() || response.ended()) {
                // the caller went away while the connection was being found: give it back at once
                out.reset();
                log(499, null);
                return;
            }
            if (declaredLength == null
                    && (in.headers().contains(HttpHeaders.TRANSFER_ENCODING) || in.version() == HttpVersion.HTTP_2)) {
                out.setChunked(true);
            }
            response.closeHandler(v -> {
                vertx.cancelTimer(firstByteTimer);
                out.reset();
            });
            out.response().onComplete(answered -> {
                vertx.cancelTimer(firstByteTimer);
                if (answered.failed()) {
                    fail(answered.cause());
                } else {
                    relay(answered.result());
                }
            });
            firstByteTimer = vertx.setTimer(config.firstByteTimeout().toMillis(), id -> {
                timedOut = true;
                out.reset();
            });
            if (in.isEnded()) {
                // the request had been read to its end before the connection was ready (a GET, or a body read while
                // authentication ran): its end handler would never run, so end the forwarded request now
                if (rc.body() != null && rc.body().available() && rc.body().buffer() != null) {
                    out.end(rc.body().buffer());
                } else {
                    out.end();
                }
                return;
            }
            in.handler(chunk -> {
                bodyBytes += chunk.length();
                if (bodyBytes > maxBodySize) {
                    in.pause();
                    vertx.cancelTimer(firstByteTimer);
                    out.reset();
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                    tooLarge(rc);
                    return;
                }
                out.write(chunk);
                if (out.writeQueueFull()) {
                    in.pause();
                    out.drainHandler(v -> in.resume());
                }
            });
            in.endHandler(v -> {
                if (bodyBytes <= maxBodySize) {
                    out.end();
                }
            });
            in.exceptionHandler(e -> out.reset());
            in.resume();
        }

        void relay(HttpClientResponse answer) {
            HttpServerResponse response = rc.response();
            if (response.ended()) {
                answer.request().reset();
                return;
            }
            response.setStatusCode(answer.statusCode());
            for (Map.Entry<String, String> header : answer.headers()) {
                if (!RESPONSE_HEADERS_DROPPED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    response.headers().add(header.getKey(), header.getValue());
                }
            }
            if (!answer.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasBody(answer)) {
                response.setChunked(true);
            }
            String contentType = answer.getHeader(HttpHeaders.CONTENT_TYPE);
            if (contentType != null && contentType.startsWith("text/event-stream")) {
                // tell buffering reverse proxies in front of the gateway to pass events through at once
                response.putHeader("X-Accel-Buffering", "no");
            }
            answer.pipeTo(response).onComplete(done -> {
                if (done.failed()) {
                    // the caller or the service went away mid-answer: drop the connection instead of pooling it
                    answer.request().reset();
                }
                log(answer.statusCode(), done.failed() ? done.cause() : null);
            });
        }

        void fail(Throwable cause) {
            if (out != null) {
                out.reset();
            }
            if (!rc.request().isEnded()) {
                rc.request().resume();
            }
            RuntimeException problem = classify(cause);
            int status = ProblemStatus.of(problem);
            log(status, cause);
            if (!rc.response().ended() && !rc.response().closed()) {
                if (problem instanceof BackendBusyException && !rc.response().headWritten()) {
                    rc.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                }
                ProblemWriter.write(rc, status, problem.getMessage() + ".");
            }
        }

        private RuntimeException classify(Throwable cause) {
            if (timedOut) {
                return new BackendTimeoutException(backend.name(), "answer", config.firstByteTimeout());
            }
            if (cause instanceof ConnectTimeoutException) {
                return new BackendTimeoutException(backend.name(), "accept the connection", config.connectTimeout());
            }
            if (cause instanceof BackendBusyException busy) {
                // the wait for a pooled connection ran out (a new TCP connection that is not accepted in time is the
                // ConnectTimeoutException above): the service is slower than the requests arrive
                return busy;
            }
            if (cause instanceof ConnectionPoolTooBusyException) {
                // so many requests already wait for a connection that this one would not get one in time either
                return new BackendBusyException(
                        backend.name(), config.maxConnectionsPerService(), config.connectTimeout());
            }
            return new BackendUnavailableException(backend.name(), cause);
        }

        private void log(int status, Throwable failure) {
            MDC.put(RequestIds.MDC_KEY, requestId);
            long millis = (System.nanoTime() - started) / 1_000_000;
            HttpServerRequest in = rc.request();
            if (failure == null) {
                LOG.infof("%s %s -> %s %d (%d ms)", in.method(), in.path(), backend.name(), status, millis);
            } else {
                LOG.warnf(
                        "%s %s -> %s %d (%d ms): %s", in.method(), in.path(), backend.name(), status, millis, failure);
            }
        }
    }

    private MultiMap forwardedHeaders(HttpServerRequest in, String token) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        String connectionTokens = in.getHeader(HttpHeaders.CONNECTION);
        for (Map.Entry<String, String> header : in.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!REQUEST_HEADERS_DROPPED.contains(name) && !listedIn(connectionTokens, name)) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        if (token != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        } else if (in.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            headers.set(HttpHeaders.AUTHORIZATION, in.getHeader(HttpHeaders.AUTHORIZATION));
        }
        headers.set(RequestIds.HEADER, RequestIds.current(in));
        String client = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        if (client != null) {
            headers.set("X-Forwarded-For", client);
        }
        headers.set("X-Forwarded-Proto", in.scheme());
        headers.set("X-Forwarded-Host", in.host());
        return headers;
    }

    private static boolean listedIn(String connectionTokens, String name) {
        if (connectionTokens == null) {
            return false;
        }
        for (String token : connectionTokens.split(",")) {
            if (token.strip().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The caller's access token: the bearer token itself, or the one kept in the browser session. */
    private static String accessToken(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser user
                && !user.getSecurityIdentity().isAnonymous()) {
            AccessTokenCredential credential = user.getSecurityIdentity().getCredential(AccessTokenCredential.class);
            return credential == null ? null : credential.getToken();
        }
        return null;
    }

    private static boolean hasBody(HttpClientResponse answer) {
        int status = answer.statusCode();
        return status != 204 && status != 304 && answer.request().getMethod() != io.vertx.core.http.HttpMethod.HEAD;
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void tooLarge(RoutingContext rc) {
        ProblemWriter.write(rc, 413, "The request body exceeds " + maxBodySize + " bytes.");
    }
}
