package dev.windlass.deployer.kubernetes;

import dev.windlass.cluster.ClusterAuth;
import dev.windlass.cluster.ClusterClients;
import dev.windlass.cluster.ClusterCredentials;
import dev.windlass.cluster.CredentialsException;
import dev.windlass.cluster.ServiceAccountMount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;

/**
 * Builds a Kubernetes client from an orchestrator's connection material through the shared {@link ClusterClients}
 * (the same code the registry's connection test uses), with bounded timeouts and without the client's own request
 * retries or watch reconnects (Windlass retries and re-watches itself).
 */
public final class ClientFactory {

    /** Connects with the pod's ServiceAccount (the cluster Windlass runs in). */
    public static final String IN_CLUSTER = ClusterAuth.IN_CLUSTER.name();
    /** Authenticates with a bearer token. */
    public static final String TOKEN = ClusterAuth.TOKEN.name();
    /** Authenticates with a client certificate and key. */
    public static final String CERTIFICATE = ClusterAuth.CERTIFICATE.name();

    private final ClusterClients clients;
    private final Interceptor requests;

    public ClientFactory(Duration connectTimeout, Duration requestTimeout) {
        this(connectTimeout, requestTimeout, ServiceAccountMount.ofThisPod(), null);
    }

    /** A factory whose clients tell {@code requests} (when not null) of every request they make. */
    public ClientFactory(Duration connectTimeout, Duration requestTimeout, Interceptor requests) {
        this(connectTimeout, requestTimeout, ServiceAccountMount.ofThisPod(), requests);
    }

    /** A factory whose IN_CLUSTER clients read {@code serviceAccount} (tests point it at a directory of their own). */
    public ClientFactory(Duration connectTimeout, Duration requestTimeout, ServiceAccountMount serviceAccount) {
        this(connectTimeout, requestTimeout, serviceAccount, null);
    }

    private ClientFactory(
            Duration connectTimeout,
            Duration requestTimeout,
            ServiceAccountMount serviceAccount,
            Interceptor requests) {
        this.clients = new ClusterClients(connectTimeout, requestTimeout, "windlass-deployer", serviceAccount);
        this.requests = requests;
    }

    /**
     * A new client for {@code cluster}; fails permanently, saying why, when the connection material can never work
     * (incomplete, an unreadable key or certificate).
     */
    public KubernetesClient create(ClusterConnection cluster) {
        ClusterCredentials credentials = credentials(cluster);
        try {
            return clients.builder(credentials, requests).build();
        } catch (CredentialsException e) {
            throw permanent(cluster, e);
        } catch (KubernetesClientException | IllegalStateException e) {
            // the client reads the certificate, key and CA when it is built: what it cannot read never gets better
            throw ClusterException.permanent("orchestrator " + cluster.name()
                    + ": the client could not be set up from the stored credentials (" + e.getMessage() + ")");
        }
    }

    Config config(ClusterConnection cluster) {
        try {
            return clients.config(credentials(cluster));
        } catch (CredentialsException e) {
            throw permanent(cluster, e);
        }
    }

    private static ClusterCredentials credentials(ClusterConnection cluster) {
        ClusterAuth auth = ClusterAuth.parse(cluster.authType());
        if (auth == null) {
            throw ClusterException.permanent("orchestrator " + cluster.name() + " has an unknown auth type "
                    + cluster.authType() + " (expected IN_CLUSTER, TOKEN or CERTIFICATE)");
        }
        return new ClusterCredentials(
                cluster.name(),
                cluster.apiServerUrl(),
                auth,
                cluster.token(),
                cluster.clientCertificatePem(),
                cluster.clientKeyPem(),
                cluster.caCertificatePem(),
                cluster.skipTlsVerify(),
                cluster.defaultNamespace());
    }

    private static ClusterException permanent(ClusterConnection cluster, CredentialsException e) {
        return ClusterException.permanent(
                e.getMessage().startsWith("orchestrator ")
                        ? e.getMessage()
                        : "orchestrator " + cluster.name() + ": " + e.getMessage());
    }
}
