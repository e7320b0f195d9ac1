package dev.windlass.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the identity gateway: where the services are, how long to wait for them, what to refuse. */
@ConfigMapping(prefix = "windlass.gateway")
public interface GatewayConfig {

    /** Base URL of registry-service, which serves {@code /api/orchestrators/**}. */
    @WithDefault("http://127.0.0.1:8081")
    URI registryUrl();

    /** Base URL of deployer-service, which serves {@code /api/deployments/**} and {@code /api/apps/**}. */
    @WithDefault("http://127.0.0.1:8082")
    URI deployerUrl();

    /**
     * Longest wait for a connection to a service: a new TCP connection (504 when it is not accepted in time), or a
     * pooled one when all {@link #maxConnectionsPerService()} are in use (503 with {@code Retry-After}).
     */
    @WithDefault("5S")
    Duration connectTimeout();

    /** Connections the gateway keeps to each service; more requests at once wait for one (up to the connect timeout). */
    @WithDefault("50")
    int maxConnectionsPerService();

    /**
     * Connections for event streams ({@code /api/deployments/{id}/events}) to each service, a pool of their own: open
     * streams never take the connections that plain calls need. The deployer limits the streams of each caller.
     */
    @WithDefault("500")
    int maxStreamsPerService();

    /**
     * Requests that may wait for a pooled connection to one service at once; a request beyond them is answered 503 with
     * {@code Retry-After} at once instead of waiting for a connection it would not get in time.
     */
    @WithDefault("500")
    int maxWaitingPerService();

    /** Longest wait from sending a request to a service until its response status and headers arrive (504). */
    @WithDefault("30S")
    Duration firstByteTimeout();

    /** Origins besides the gateway's own allowed to make cookie-authenticated state changes (scheme://host:port). */
    Optional<List<String>> trustedOrigins();

    /** Content-Security-Policy sent with every response. */
    @WithDefault("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'")
    String contentSecurityPolicy();

    /** Referrer-Policy sent with every response; same-origin keeps the Origin header for the CSRF check. */
    @WithDefault("same-origin")
    String referrerPolicy();

    /** max-age of Strict-Transport-Security, which is sent only on requests that arrived over TLS. */
    @WithDefault("P365D")
    Duration hstsMaxAge();

    /** Whether startup fails when the OIDC provider publishes no RSA or EC signing key (an HS256-only provider). */
    @WithDefault("true")
    boolean requireAsymmetricSigningKey();
}
