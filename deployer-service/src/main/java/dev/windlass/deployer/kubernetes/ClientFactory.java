package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Builds a Kubernetes client from an orchestrator's connection material, with bounded timeouts and without the
 * client's own request retries or watch reconnects (Windlass retries and re-watches itself).
 */
public final class ClientFactory {

    /** Connects with the pod's ServiceAccount (the cluster Windlass runs in). */
    public static final String IN_CLUSTER = "IN_CLUSTER";
    /** Authenticates with a bearer token. */
    public static final String TOKEN = "TOKEN";
    /** Authenticates with a client certificate and key. */
    public static final String CERTIFICATE = "CERTIFICATE";

    private final Duration connectTimeout;
    private final Duration requestTimeout;

    public ClientFactory(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** A new client for {@code cluster}; fails permanently when the connection material is incomplete. */
    public KubernetesClient create(ClusterConnection cluster) {
        return new KubernetesClientBuilder().withConfig(config(cluster)).build();
    }

    Config config(ClusterConnection cluster) {
        String authType = cluster.authType() == null ? "" : cluster.authType().toUpperCase(java.util.Locale.ROOT);
        Config config = switch (authType) {
            case IN_CLUSTER -> Config.autoConfigure(null);
            case TOKEN ->
                remote(cluster)
                        .withOauthToken(required(cluster.token(), "token", cluster))
                        .build();
            case CERTIFICATE ->
                remote(cluster)
                        .withClientCertData(
                                base64(required(cluster.clientCertificatePem(), "client certificate", cluster)))
                        .withClientKeyData(base64(required(cluster.clientKeyPem(), "client key", cluster)))
                        .build();
            default ->
                throw ClusterException.permanent("orchestrator " + cluster.name()
                        + " has an unknown auth type " + cluster.authType()
                        + " (expected IN_CLUSTER, TOKEN or CERTIFICATE)");
        };
        config.setConnectionTimeout(Math.toIntExact(connectTimeout.toMillis()));
        config.setRequestTimeout(Math.toIntExact(requestTimeout.toMillis()));
        config.setRequestRetryBackoffLimit(0);
        config.setWatchReconnectLimit(0);
        config.setUserAgent("windlass-deployer");
        if (cluster.defaultNamespace() != null && !cluster.defaultNamespace().isBlank()) {
            config.setNamespace(cluster.defaultNamespace());
        }
        return config;
    }

    private static ConfigBuilder remote(ClusterConnection cluster) {
        if (cluster.apiServerUrl() == null || cluster.apiServerUrl().isBlank()) {
            throw ClusterException.permanent("orchestrator " + cluster.name() + " has no API server URL");
        }
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.apiServerUrl());
        if (cluster.caCertificatePem() != null && !cluster.caCertificatePem().isBlank()) {
            builder.withCaCertData(base64(cluster.caCertificatePem()));
        }
        if (cluster.skipTlsVerify()) {
            builder.withTrustCerts(true).withDisableHostnameVerification(true);
        }
        return builder;
    }

    private static String required(String value, String what, ClusterConnection cluster) {
        if (value == null || value.isBlank()) {
            throw ClusterException.permanent(
                    "orchestrator " + cluster.name() + " uses " + cluster.authType() + " auth but has no " + what);
        }
        return value;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
