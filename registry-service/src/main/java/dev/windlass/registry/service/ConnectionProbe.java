package dev.windlass.registry.service;

import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.ConnectionMaterial;
import dev.windlass.registry.domain.ConnectionStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Reaches an API server with exactly an orchestrator's stored credentials, through a client built for this one call
 * (never the application's own Kubernetes client), and classifies the outcome. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class ConnectionProbe {

    private static final Logger LOG = Logger.getLogger(ConnectionProbe.class);

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final VertxHttpClientFactory httpClients;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Clock clock;

    public ConnectionProbe(Vertx vertx, RegistryConfig config) {
        this.httpClients = new VertxHttpClientFactory(vertx);
        this.connectTimeout = config.connectionCheck().connectTimeout();
        this.requestTimeout = config.connectionCheck().requestTimeout();
        this.clock = Clock.systemUTC();
    }

    /** Connects, asks the server's version and checks the deployer's permissions in the default namespace. */
    public ConnectionCheck check(ConnectionMaterial material) {
        Instant at = clock.instant();
        Config config;
        try {
            config = config(material);
        } catch (NotInClusterException e) {
            return new ConnectionCheck(ConnectionStatus.UNREACHABLE, e.getMessage(), null, null, at);
        }
        String target = target(config.getMasterUrl());
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(httpClients)
                .build()) {
            long start = System.nanoTime();
            VersionInfo version = client.getKubernetesVersion();
            long latency = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String gitVersion = version.getGitVersion();
            Map<String, List<String>> missing = RequiredPermissions.missing(client, material.defaultNamespace());
            if (!missing.isEmpty()) {
                return new ConnectionCheck(
                        ConnectionStatus.FORBIDDEN,
                        "Authenticated to " + target + ", but missing permissions in namespace '"
                                + material.defaultNamespace() + "': " + describe(missing),
                        gitVersion,
                        latency,
                        at);
            }
            return new ConnectionCheck(
                    ConnectionStatus.CONNECTED,
                    "Connected to Kubernetes " + gitVersion + " at " + target + " in " + latency + " ms",
                    gitVersion,
                    latency,
                    at);
        } catch (RuntimeException e) {
            ConnectionCheck check = classify(e, target, at);
            LOG.debugf("connection check of orchestrator %s: %s", material.name(), check.status());
            return check;
        }
    }

    private Config config(ConnectionMaterial m) {
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withNamespace(m.defaultNamespace())
                .withConnectionTimeout((int) connectTimeout.toMillis())
                .withRequestTimeout((int) requestTimeout.toMillis())
                .withRequestRetryBackoffLimit(0)
                .withTrustCerts(m.skipTlsVerify())
                .withDisableHostnameVerification(m.skipTlsVerify());
        if (m.authType() == AuthType.IN_CLUSTER) {
            String host = System.getenv("KUBERNETES_SERVICE_HOST");
            String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
            Path token = SERVICE_ACCOUNT.resolve("token");
            if (host == null || !Files.isReadable(token)) {
                throw new NotInClusterException();
            }
            try {
                builder.withMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                        .withOauthToken(
                                Files.readString(token, StandardCharsets.UTF_8).strip())
                        .withCaCertFile(SERVICE_ACCOUNT.resolve("ca.crt").toString());
            } catch (IOException e) {
                throw new NotInClusterException();
            }
            return builder.build();
        }
        builder.withMasterUrl(m.apiServerUrl());
        if (m.caCertificatePem() != null) {
            builder.withCaCertData(base64(m.caCertificatePem()));
        }
        if (m.authType() == AuthType.TOKEN) {
            builder.withOauthToken(m.token());
        } else if (m.authType() == AuthType.CERTIFICATE) {
            builder.withClientCertData(base64(m.clientCertificatePem()))
                    .withClientKeyData(base64(m.clientKeyPem()))
                    .withClientKeyAlgo(keyAlgorithm(m.clientKeyPem()));
        }
        return builder.build();
    }

    private static String keyAlgorithm(String pem) {
        try {
            String algorithm = Pem.privateKey(pem).getAlgorithm();
            return algorithm.equals("ECDSA") ? "EC" : algorithm;
        } catch (Pem.PemException e) {
            return "RSA";
        }
    }

    /** Classifies a failure; the message names the target and the reason, never an exception class or secret. */
    static ConnectionCheck classify(Throwable failure, String target, Instant at) {
        KubernetesClientException api = find(failure, KubernetesClientException.class);
        if (api != null && api.getCode() == 401) {
            return new ConnectionCheck(
                    ConnectionStatus.UNAUTHORIZED,
                    "The API server at " + target + " rejected the credentials (HTTP 401 Unauthorized)",
                    null,
                    null,
                    at);
        }
        if (api != null && api.getCode() == 403) {
            return new ConnectionCheck(
                    ConnectionStatus.FORBIDDEN,
                    "The API server at " + target + " refused access (HTTP 403 Forbidden)",
                    null,
                    null,
                    at);
        }
        if (find(failure, SSLException.class) != null || find(failure, CertificateException.class) != null) {
            return new ConnectionCheck(ConnectionStatus.TLS_ERROR, tlsMessage(failure, target), null, null, at);
        }
        String reason;
        if (find(failure, UnknownHostException.class) != null) {
            reason = "host name not found";
        } else if (find(failure, ConnectException.class) != null && !isTimeout(find(failure, ConnectException.class))) {
            reason = "connection refused";
        } else if (find(failure, NoRouteToHostException.class) != null) {
            reason = "no route to host";
        } else if (isTimeout(failure)) {
            reason = "no answer within the timeout";
        } else if (api != null && api.getCode() > 0) {
            reason = "unexpected HTTP status " + api.getCode();
        } else {
            reason = "the connection failed";
        }
        return new ConnectionCheck(
                ConnectionStatus.UNREACHABLE,
                "Could not reach the API server at " + target + ": " + reason,
                null,
                null,
                at);
    }

    private static String tlsMessage(Throwable failure, String target) {
        String detail;
        if (find(failure, CertificateExpiredException.class) != null) {
            detail = "the server's certificate has expired";
        } else if (find(failure, CertificateNotYetValidException.class) != null) {
            detail = "the server's certificate is not valid yet";
        } else if (find(failure, CertPathBuilderException.class) != null
                || find(failure, CertPathValidatorException.class) != null
                || messageContains(failure, "PKIX")) {
            detail = "the server's certificate is not signed by a trusted CA (check caCertificatePem)";
        } else if (messageContains(failure, "subject alternative") || messageContains(failure, "hostname")) {
            detail = "the server's certificate does not match the host name";
        } else {
            detail = "the handshake failed";
        }
        return "TLS error with the API server at " + target + ": " + detail;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof SocketTimeoutException
                    || t instanceof java.net.http.HttpTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")
                    || (t.getMessage() != null && t.getMessage().toLowerCase().contains("timed out"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean messageContains(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return type.cast(suppressed);
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String describe(Map<String, List<String>> missing) {
        return missing.entrySet().stream()
                .map(e -> e.getKey() + " [" + String.join(", ", e.getValue()) + "]")
                .collect(Collectors.joining("; "));
    }

    private static String target(String masterUrl) {
        try {
            URI uri = URI.create(masterUrl);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (RuntimeException e) {
            return "the configured URL";
        }
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** IN_CLUSTER outside a pod: there is no service account to use. */
    private static final class NotInClusterException extends RuntimeException {
        NotInClusterException() {
            super("IN_CLUSTER needs the registry to run in a Kubernetes pod with a service account token mounted at "
                    + SERVICE_ACCOUNT + "; none is here");
        }
    }
}
