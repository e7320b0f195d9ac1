package dev.windlass.deployer.kubernetes;

import dev.windlass.common.access.Destination;
import dev.windlass.common.access.Destinations;
import java.util.List;
import java.util.UUID;

/**
 * Connection material of one orchestrator, as the registry's internal endpoint returns it (GET
 * /internal/orchestrators/{name}/connection). {@link #toString()} never prints token, client key or certificate.
 *
 * @param type K3S, K8S, EKS, GKE or AKS
 * @param authType IN_CLUSTER, TOKEN or CERTIFICATE
 * @param version changes whenever the registry changes the orchestrator; cached clients are keyed by it
 * @param authentikOutpostUrl where the cluster's Authentik outpost answers Traefik's forward-auth requests; null when
 *     the orchestrator names none
 */
public record ClusterConnection(
        UUID id,
        String name,
        String type,
        String environment,
        String apiServerUrl,
        String authType,
        String token,
        String clientCertificatePem,
        String clientKeyPem,
        String caCertificatePem,
        boolean skipTlsVerify,
        String metalLbIpRange,
        String defaultNamespace,
        List<String> allowedGroups,
        long version,
        List<Destination> destinations,
        String authentikOutpostUrl) {

    /** Orchestrator type whose LoadBalancer Services are served by MetalLB. */
    public static final String K3S = "K3S";

    public ClusterConnection {
        allowedGroups = allowedGroups == null ? List.of() : List.copyOf(allowedGroups);
        // a registry that sends no destinations (one from before they existed) means its allowed groups everywhere
        destinations = destinations == null ? Destinations.everywhereFor(allowedGroups) : List.copyOf(destinations);
    }

    /** Connection material whose allowed groups may use every namespace (but {@code default}). */
    public ClusterConnection(
            UUID id,
            String name,
            String type,
            String environment,
            String apiServerUrl,
            String authType,
            String token,
            String clientCertificatePem,
            String clientKeyPem,
            String caCertificatePem,
            boolean skipTlsVerify,
            String metalLbIpRange,
            String defaultNamespace,
            List<String> allowedGroups,
            long version) {
        this(
                id,
                name,
                type,
                environment,
                apiServerUrl,
                authType,
                token,
                clientCertificatePem,
                clientKeyPem,
                caCertificatePem,
                skipTlsVerify,
                metalLbIpRange,
                defaultNamespace,
                allowedGroups,
                version,
                null,
                null);
    }

    /** The same connection material, its outpost at {@code url}. */
    public ClusterConnection withAuthentikOutpostUrl(String url) {
        return new ClusterConnection(
                id,
                name,
                type,
                environment,
                apiServerUrl,
                authType,
                token,
                clientCertificatePem,
                clientKeyPem,
                caCertificatePem,
                skipTlsVerify,
                metalLbIpRange,
                defaultNamespace,
                allowedGroups,
                version,
                destinations,
                url);
    }

    @Override
    public String toString() {
        return "ClusterConnection[id=" + id + ", name=" + name + ", type=" + type + ", environment=" + environment
                + ", apiServerUrl=" + apiServerUrl + ", authType=" + authType + ", token=" + mask(token)
                + ", clientCertificatePem=" + mask(clientCertificatePem) + ", clientKeyPem=" + mask(clientKeyPem)
                + ", caCertificatePem="
                + (caCertificatePem == null ? "null" : "(" + caCertificatePem.length() + " chars)")
                + ", skipTlsVerify=" + skipTlsVerify + ", metalLbIpRange=" + metalLbIpRange + ", defaultNamespace="
                + defaultNamespace + ", allowedGroups=" + allowedGroups + ", version=" + version + ", destinations="
                + destinations + ", authentikOutpostUrl=" + authentikOutpostUrl + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "null" : "****";
    }
}
