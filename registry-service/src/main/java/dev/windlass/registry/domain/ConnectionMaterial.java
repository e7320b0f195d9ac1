package dev.windlass.registry.domain;

import dev.windlass.common.access.Destination;
import java.util.List;
import java.util.UUID;

/**
 * An orchestrator's decrypted connection material, as the deployer and the connection check use it. Its
 * {@link #toString()} never shows a credential.
 */
public record ConnectionMaterial(
        UUID id,
        String name,
        OrchestratorType type,
        Environment environment,
        String apiServerUrl,
        AuthType authType,
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

    @Override
    public String toString() {
        return "ConnectionMaterial[id=" + id + ", name=" + name + ", apiServerUrl=" + apiServerUrl + ", authType="
                + authType + ", version=" + version + ", credentials redacted]";
    }
}
