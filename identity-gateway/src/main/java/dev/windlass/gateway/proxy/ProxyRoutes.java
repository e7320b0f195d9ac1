package dev.windlass.gateway.proxy;

import dev.windlass.gateway.config.GatewayConfig;
import dev.windlass.gateway.rest.ProblemWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's routing table: which paths go to which service, and {@code /internal/**}, which goes nowhere.
 * Authentication and the role checks of {@code quarkus.http.auth.permission.*} have run before these routes.
 */
@ApplicationScoped
public class ProxyRoutes {

    /** Name of registry-service in errors and logs. */
    public static final String REGISTRY = "registry-service";

    /** Name of deployer-service in errors and logs. */
    public static final String DEPLOYER = "deployer-service";

    private final GatewayConfig config;
    private final Vertx vertx;
    private final long maxBodySize;
    private HttpClient client;
    private HttpClient streams;

    ProxyRoutes(
            GatewayConfig config,
            Vertx vertx,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M") MemorySize maxBodySize) {
        this.config = config;
        this.vertx = vertx;
        this.maxBodySize = maxBodySize.asLongValue();
    }

    void register(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxConnectionsPerService())
                .setMaxWaitQueueSize(config.maxWaitingPerService())
                .setDecompressionSupported(false));
        streams = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxStreamsPerService())
                .setMaxWaitQueueSize(config.maxWaitingPerService())
                .setDecompressionSupported(false));
        ProxyHandler registry =
                new ProxyHandler(vertx, client, Backend.of(REGISTRY, config.registryUrl()), config, maxBodySize);
        ProxyHandler deployer =
                new ProxyHandler(vertx, client, Backend.of(DEPLOYER, config.deployerUrl()), config, maxBodySize);
        // event streams first, on their own pool: a long-lived stream holds its connection for minutes
        ProxyHandler deployerStreams =
                new ProxyHandler(vertx, streams, Backend.of(DEPLOYER, config.deployerUrl()), config, maxBodySize);
        ProxyHandler registryStreams =
                new ProxyHandler(vertx, streams, Backend.of(REGISTRY, config.registryUrl()), config, maxBodySize);
        router.route("/api/orchestrators/changes").handler(registryStreams);
        router.routeWithRegex("/api/deployments/[^/]+/events").handler(deployerStreams);
        router.routeWithRegex("/api/apps/[^/]+/[^/]+/[^/]+/status/stream").handler(deployerStreams);
        router.routeWithRegex("/api/apps/[^/]+/[^/]+/[^/]+/pods/[^/]+/log/stream")
                .handler(deployerStreams);
        // registries' image webhooks: no user token; the deployer checks their shared secret or signature
        router.routeWithRegex(HttpMethod.POST, "/hooks/images/[^/]+")
                .handler(ProxyHandler.anonymous(
                        vertx, client, Backend.of(DEPLOYER, config.deployerUrl()), config, maxBodySize));
        router.routeWithRegex("/api/orchestrators(/.*)?").handler(registry);
        router.routeWithRegex("/api/deployments(/.*)?").handler(deployer);
        router.routeWithRegex("/api/apps(/.*)?").handler(deployer);
        router.routeWithRegex("/api/sealing-keys(/.*)?").handler(deployer);
        router.routeWithRegex("/api/image-registries(/.*)?").handler(deployer);
        // service-to-service paths of the services: never reachable from outside
        router.routeWithRegex("/internal(/.*)?").handler(rc -> ProblemWriter.write(rc, 404, "No such resource."));
    }

    void close(@Observes ShutdownEvent event) {
        if (client != null) {
            client.close();
        }
        if (streams != null) {
            streams.close();
        }
    }
}
