package dev.windlass.registry.service;

import dev.windlass.cluster.ClusterAuth;
import dev.windlass.cluster.ClusterClients;
import dev.windlass.cluster.ClusterCredentials;
import dev.windlass.cluster.CredentialsException;
import dev.windlass.cluster.ServiceAccountMount;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.ConnectionMaterial;
import dev.windlass.registry.domain.ConnectionStatus;
import dev.windlass.registry.domain.OrchestratorType;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    /** Where Traefik 2.10 and later serve Middlewares (Traefik 3 serves no other group). */
    private static final String TRAEFIK_API_VERSION = "traefik.io/v1alpha1";

    private final VertxHttpClientFactory httpClients;
    private final ClusterClients clients;
    private final Duration expiryWarning;
    private final String metalLbNamespace;
    private final Clock clock;

    @Inject
    public ConnectionProbe(Vertx vertx, RegistryConfig config) {
        this(
                vertx,
                config,
                new ServiceAccountMount(config.connectionCheck().serviceAccountDirectory(), System.getenv()));
    }

    /** A probe whose IN_CLUSTER checks read {@code serviceAccount}. */
    public ConnectionProbe(Vertx vertx, RegistryConfig config, ServiceAccountMount serviceAccount) {
        this.httpClients = new VertxHttpClientFactory(vertx);
        this.clients = new ClusterClients(
                config.connectionCheck().connectTimeout(),
                config.connectionCheck().requestTimeout(),
                "windlass-registry",
                serviceAccount);
        this.expiryWarning = config.connectionCheck().expiryWarning();
        this.metalLbNamespace = config.connectionCheck().metallbNamespace();
        this.clock = Clock.systemUTC();
    }

    /**
     * Connects through the client configuration the deployer uses (the shared {@link ClusterClients}), asks the
     * server's version and checks the deployer's permissions in the default namespace; says when the credentials
     * expire, and warns when they soon do or when a K3s cluster runs its own load balancer next to MetalLB.
     */
    public ConnectionCheck check(ConnectionMaterial material) {
        Instant at = clock.instant();
        CredentialExpiry expiry = CredentialExpiry.of(material);
        Config config;
        KubernetesClientBuilder builder;
        try {
            config = clients.config(credentials(material));
            builder = clients.builder(credentials(material));
        } catch (CredentialsException e) {
            ConnectionStatus status = material.authType() == AuthType.IN_CLUSTER
                    ? ConnectionStatus.UNREACHABLE
                    : ConnectionStatus.UNAUTHORIZED;
            String message = material.authType() == AuthType.IN_CLUSTER
                    ? e.getMessage()
                    : "The stored credentials cannot be used: " + e.getMessage();
            return new ConnectionCheck(status, message, null, null, at).expiring(expiry.at());
        }
        String target = target(config.getMasterUrl());
        if (expiry.at() != null && !expiry.at().isAfter(at)) {
            return new ConnectionCheck(
                            ConnectionStatus.UNAUTHORIZED,
                            "The " + expiry.what() + " expired at " + expiry.at() + "; the API server at " + target
                                    + " refuses it. Issue a new one (docs/operations.md) and update the orchestrator",
                            null,
                            null,
                            at)
                    .expiring(expiry.at());
        }
        try (KubernetesClient client =
                builder.withHttpClientFactory(httpClients).build()) {
            long start = System.nanoTime();
            VersionInfo version = client.getKubernetesVersion();
            long latency = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String gitVersion = version.getGitVersion();
            String namespace = material.defaultNamespace();
            RequiredPermissions.Review review = RequiredPermissions.review(client, namespace);
            Map<String, List<String>> missing =
                    RequiredPermissions.missing(client, namespace, review, RequiredPermissions.NEEDS);
            boolean metalLb = material.type() == OrchestratorType.K3S && material.metalLbIpRange() != null;
            Map<String, List<String>> missingMetalLb = metalLb
                    ? RequiredPermissions.missing(
                            client,
                            metalLbNamespace,
                            RequiredPermissions.review(client, metalLbNamespace),
                            RequiredPermissions.METALLB)
                    : Map.of();
            if (!missing.isEmpty() || !missingMetalLb.isEmpty()) {
                String message = "Authenticated to " + target + ", but missing permissions";
                if (!missing.isEmpty()) {
                    message += " in namespace '" + namespace + "': " + describe(missing);
                }
                if (!missingMetalLb.isEmpty()) {
                    message += (missing.isEmpty() ? "" : ";") + " in namespace '" + metalLbNamespace + "' (MetalLB): "
                            + describe(missingMetalLb);
                }
                return new ConnectionCheck(ConnectionStatus.FORBIDDEN, message, gitVersion, latency, at)
                        .expiring(expiry.at());
            }
            List<String> warnings = new ArrayList<>();
            List<String> wide = RequiredPermissions.overPrivileged(review);
            if (!wide.isEmpty()) {
                warnings.add("over-privileged: in namespace '" + namespace + "' these credentials hold "
                        + String.join("; ", wide)
                        + " — far more than Windlass uses (docs/kubernetes-objects.md, \"RBAC Windlass needs\");"
                        + " give it a ServiceAccount bound to that role instead");
            }
            RequiredPermissions.OPTIONAL.forEach((need, withoutIt) -> {
                // rights that share a warning give it once
                if (!warnings.contains(withoutIt)
                        && !RequiredPermissions.missing(client, namespace, review, List.of(need))
                                .isEmpty()) {
                    warnings.add(withoutIt);
                }
            });
            if (client.supports(TRAEFIK_API_VERSION, "Middleware")
                    && !RequiredPermissions.missing(
                                    client, namespace, review, List.of(RequiredPermissions.TRAEFIK_MIDDLEWARES))
                            .isEmpty()) {
                warnings.add(RequiredPermissions.TRAEFIK_WARNING);
            }
            expiry.warning(at, expiryWarning).ifPresent(warnings::add);
            if (metalLb) {
                ServiceLbCheck.warning(client).ifPresent(warnings::add);
            }
            return new ConnectionCheck(
                            ConnectionStatus.CONNECTED,
                            "Connected to Kubernetes " + gitVersion + " at " + target + " in " + latency + " ms"
                                    + warnings.stream()
                                            .map(w -> "; warning: " + w)
                                            .collect(Collectors.joining()),
                            gitVersion,
                            latency,
                            at)
                    .expiring(expiry.at())
                    .warning(warnings);
        } catch (RuntimeException e) {
            ConnectionCheck check = classify(e, target, at).expiring(expiry.at());
            LOG.debugf("connection check of orchestrator %s: %s", material.name(), check.status());
            return check;
        }
    }

    private static ClusterCredentials credentials(ConnectionMaterial m) {
        return new ClusterCredentials(
                m.name(),
                m.apiServerUrl(),
                ClusterAuth.parse(m.authType().name()),
                m.token(),
                m.clientCertificatePem(),
                m.clientKeyPem(),
                m.caCertificatePem(),
                m.skipTlsVerify(),
                m.defaultNamespace());
    }

    /** What a caller learns about any failure below TLS: the same words whatever the network said. */
    static String unreachable(String target) {
        return "No Kubernetes API server answered at " + target + ". Check the URL and the port, that the API server"
                + " is running and that the registry can reach it (DNS, routes, firewalls, proxies); the registry's"
                + " log has the network detail";
    }

    /**
     * Classifies a failure; the message names the target and what a cluster admin can act on, never an exception
     * class or secret. Failures below a certificate problem — unknown host, refused, no route, timeout, a handshake
     * with something that is not a TLS server, an HTTP answer that is not Kubernetes' — are one UNREACHABLE with the
     * same words, so that the check cannot be used to map which hosts and ports answer; the network detail goes to
     * the log only.
     */
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
        String certificate = certificateProblem(failure);
        if (certificate != null) {
            return new ConnectionCheck(
                    ConnectionStatus.TLS_ERROR,
                    "TLS error with the API server at " + target + ": " + certificate,
                    null,
                    null,
                    at);
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
        } else if (find(failure, SSLException.class) != null) {
            reason = "TLS handshake failed";
        } else {
            reason = "the connection failed";
        }
        LOG.infof("connection check to %s: %s", target, reason);
        return new ConnectionCheck(ConnectionStatus.UNREACHABLE, unreachable(target), null, null, at);
    }

    /** What is wrong with the server's certificate, or null when the failure is not about one. */
    private static String certificateProblem(Throwable failure) {
        if (find(failure, SSLException.class) == null && find(failure, CertificateException.class) == null) {
            return null;
        }
        if (find(failure, CertificateExpiredException.class) != null) {
            return "the server's certificate has expired";
        } else if (find(failure, CertificateNotYetValidException.class) != null) {
            return "the server's certificate is not valid yet";
        } else if (find(failure, CertPathBuilderException.class) != null
                || find(failure, CertPathValidatorException.class) != null
                || messageContains(failure, "PKIX")) {
            return "the server's certificate is not signed by a trusted CA (check caCertificatePem)";
        } else if (messageContains(failure, "subject alternative") || messageContains(failure, "hostname")) {
            return "the server's certificate does not match the host name";
        }
        return null;
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
}
