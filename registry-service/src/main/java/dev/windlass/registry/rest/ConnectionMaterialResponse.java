package dev.windlass.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.windlass.common.access.Destination;
import dev.windlass.registry.domain.ConnectionMaterial;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The decrypted connection material, for other Windlass services only. Absent credentials are null. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "ConnectionMaterial")
public record ConnectionMaterialResponse(
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

    static ConnectionMaterialResponse from(ConnectionMaterial m) {
        return new ConnectionMaterialResponse(
                m.id(),
                m.name(),
                m.type().name(),
                m.environment().value(),
                m.apiServerUrl(),
                m.authType().name(),
                m.token(),
                m.clientCertificatePem(),
                m.clientKeyPem(),
                m.caCertificatePem(),
                m.skipTlsVerify(),
                m.metalLbIpRange(),
                m.defaultNamespace(),
                m.allowedGroups(),
                m.version(),
                m.destinations(),
                m.authentikOutpostUrl());
    }

    @Override
    public String toString() {
        return "ConnectionMaterialResponse[name=" + name + ", credentials redacted]";
    }
}
