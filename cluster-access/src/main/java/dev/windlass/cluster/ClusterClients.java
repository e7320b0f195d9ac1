package dev.windlass.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The one way Windlass turns an orchestrator's credentials into a Kubernetes client configuration: the registry's
 * connection test and the deployer use it alike, so a cluster the test calls connected is one the deployer can use.
 * Nothing comes from the machine's own kubeconfig or environment: {@link Config#empty()} is the starting point, and
 * IN_CLUSTER reads only the pod's ServiceAccount mount. The client's own request retries and watch reconnects are
 * off (callers retry and re-watch themselves).
 */
public final class ClusterClients {

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String userAgent;
    private final ServiceAccountMount serviceAccount;

    public ClusterClients(
            Duration connectTimeout, Duration requestTimeout, String userAgent, ServiceAccountMount serviceAccount) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.userAgent = userAgent;
        this.serviceAccount = serviceAccount;
    }

    /**
     * The client configuration for {@code cluster}; throws {@link CredentialsException} when the credentials can
     * never work (a field missing, a key that cannot be read, no ServiceAccount for IN_CLUSTER).
     */
    public Config config(ClusterCredentials cluster) {
        if (cluster.auth() == null) {
            throw new CredentialsException("orchestrator " + cluster.name()
                    + " has an unknown auth type (expected IN_CLUSTER, TOKEN or CERTIFICATE)");
        }
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withConnectionTimeout(Math.toIntExact(connectTimeout.toMillis()))
                .withRequestTimeout(Math.toIntExact(requestTimeout.toMillis()))
                .withRequestRetryBackoffLimit(0)
                .withWatchReconnectLimit(0)
                .withUserAgent(userAgent);
        String namespace = cluster.defaultNamespace();
        switch (cluster.auth()) {
            case IN_CLUSTER -> {
                ServiceAccountMount.Identity pod = serviceAccount.read();
                builder.withMasterUrl(pod.apiServerUrl()).withOauthToken(pod.token());
                if (pod.caCertificatePem() != null) {
                    builder.withCaCertData(base64(pod.caCertificatePem()));
                }
                if (blank(namespace)) {
                    namespace = pod.namespace();
                }
            }
            case TOKEN -> remote(builder, cluster).withOauthToken(required(cluster.token(), "token", cluster));
            case CERTIFICATE -> {
                required(cluster.clientCertificatePem(), "client certificate", cluster);
                ClientKeys.ClientKey key = ClientKeys.read(required(cluster.clientKeyPem(), "client key", cluster));
                remote(builder, cluster);
                if (!key.algorithm().equals(ClientKeys.ED25519)) {
                    // an Ed25519 key goes to the TLS layer in builder() instead: the client cannot load one
                    builder.withClientCertData(base64(cluster.clientCertificatePem()))
                            .withClientKeyData(base64(key.pkcs8Pem()))
                            .withClientKeyAlgo(key.algorithm());
                }
            }
        }
        if (!blank(namespace)) {
            builder.withNamespace(namespace);
        }
        return builder.build();
    }

    /**
     * A client builder for {@code cluster}, configured by {@link #config}; callers may add their HTTP client factory
     * and build it. An Ed25519 client key, which the Kubernetes client cannot load, is handed to the TLS layer as key
     * managers of our own (the JDK signs TLS 1.3 handshakes with Ed25519).
     */
    public KubernetesClientBuilder builder(ClusterCredentials cluster) {
        return builder(cluster, null);
    }

    /**
     * As {@link #builder(ClusterCredentials)}, with {@code interceptor} (when not null) told of every request the
     * client makes: the deployer counts them by status.
     */
    public KubernetesClientBuilder builder(ClusterCredentials cluster, Interceptor interceptor) {
        Config config = config(cluster);
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        KeyManager[] keyManagers;
        TrustManager[] trustManagers;
        if (cluster.auth() == ClusterAuth.CERTIFICATE
                && ClientKeys.read(cluster.clientKeyPem()).algorithm().equals(ClientKeys.ED25519)) {
            keyManagers = Ed25519KeyManagers.of(cluster.clientCertificatePem(), cluster.clientKeyPem());
            trustManagers = trustManagers(config);
        } else {
            keyManagers = null;
            trustManagers = null;
        }
        if (keyManagers != null || interceptor != null) {
            builder.withHttpClientBuilderConsumer(http -> {
                if (keyManagers != null) {
                    // runs after the client applied the configuration's own TLS settings, so these key managers win
                    http.sslContext(keyManagers, trustManagers);
                }
                if (interceptor != null) {
                    http.addOrReplaceInterceptor("windlass-requests", interceptor);
                }
            });
        }
        return builder;
    }

    private static TrustManager[] trustManagers(Config config) {
        try {
            return SSLUtils.trustManagers(config);
        } catch (GeneralSecurityException | IOException e) {
            throw new CredentialsException("the CA certificate cannot be used: " + e.getMessage());
        }
    }

    private static ConfigBuilder remote(ConfigBuilder builder, ClusterCredentials cluster) {
        builder.withMasterUrl(required(cluster.apiServerUrl(), "API server URL", cluster));
        if (!blank(cluster.caCertificatePem())) {
            builder.withCaCertData(base64(cluster.caCertificatePem()));
        }
        if (cluster.skipTlsVerify()) {
            builder.withTrustCerts(true).withDisableHostnameVerification(true);
        }
        return builder;
    }

    private static String required(String value, String what, ClusterCredentials cluster) {
        if (blank(value)) {
            throw new CredentialsException(
                    "orchestrator " + cluster.name() + " uses " + cluster.auth() + " auth but has no " + what);
        }
        return value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
