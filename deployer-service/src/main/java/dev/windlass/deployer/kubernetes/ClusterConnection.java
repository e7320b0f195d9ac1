package dev.windlass.deployer.kubernetes;

import java.util.List;
import java.util.UUID;

/** The connection material of one orchestrator, as the registry hands it to the deployer. */
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
        long version) {

    @Override
    public String toString() {
        return "ClusterConnection[id=" + id + ", name=" + name + ", type=" + type + ", environment=" + environment
                + ", apiServerUrl=" + apiServerUrl + ", authType=" + authType + ", skipTlsVerify=" + skipTlsVerify
                + ", defaultNamespace=" + defaultNamespace + ", allowedGroups=" + allowedGroups + ", version="
                + version + ", credentials redacted]";
    }
}
