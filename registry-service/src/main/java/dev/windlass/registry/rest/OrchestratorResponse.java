package dev.windlass.registry.rest;

import dev.windlass.common.access.Destination;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Orchestrator;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An orchestrator as clients see it: never a credential, only whether each one is set. */
@Schema(name = "Orchestrator")
public record OrchestratorResponse(
        UUID id,
        String name,
        String description,
        @Schema(enumeration = {"dev", "staging", "prod"}) String environment,

        @Schema(enumeration = {"K3S", "K8S", "EKS", "GKE", "AKS"})
        String type,

        String apiServerUrl,

        @Schema(enumeration = {"IN_CLUSTER", "TOKEN", "CERTIFICATE"})
        String authType,

        boolean tokenSet,
        boolean clientCertificateSet,
        boolean clientKeySet,
        boolean caCertificateSet,
        boolean skipTlsVerify,
        String metalLbIpRange,

        @Schema(description = "Where this cluster's Authentik outpost answers Traefik's forward-auth requests")
        String authentikOutpostUrl,

        String defaultNamespace,
        List<String> allowedGroups,
        List<Destination> destinations,
        ConnectionResponse connection,

        @Schema(description = "Also sent as the ETag header")
        long version,

        Instant createdAt,
        Instant updatedAt,

        @Schema(description = "Set while its apps are undeployed before it is removed (DELETE ?cascade=undeploy)")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        DeletionResponse deletion) {

    /** A deletion waiting for the orchestrator's apps to be undeployed, or stopped because one could not be. */
    @Schema(name = "Deletion")
    public record DeletionResponse(
            Instant requestedAt,
            dev.windlass.registry.domain.Actor requestedBy,

            @Schema(description = "Why it stopped (an undeploy failed); absent while it goes on")
            String stopped) {}

    static OrchestratorResponse from(Orchestrator o) {
        return new OrchestratorResponse(
                o.getId(),
                o.getName(),
                o.getDescription(),
                o.getEnvironment().value(),
                o.getType().name(),
                o.getApiServerUrl(),
                o.getAuthType().name(),
                o.sealedValue(CredentialField.TOKEN) != null,
                o.sealedValue(CredentialField.CLIENT_CERTIFICATE) != null,
                o.sealedValue(CredentialField.CLIENT_KEY) != null,
                o.sealedValue(CredentialField.CA_CERTIFICATE) != null,
                o.isSkipTlsVerify(),
                o.getMetalLbIpRange(),
                o.getAuthentikOutpostUrl(),
                o.getDefaultNamespace(),
                o.getAllowedGroups(),
                o.getDestinations(),
                ConnectionResponse.from(o.getConnection()),
                o.getVersion(),
                o.getCreatedAt(),
                o.getUpdatedAt(),
                o.isBeingDeleted()
                        ? new DeletionResponse(
                                o.getDeletionRequestedAt(), o.getDeletionRequestedBy(), o.getDeletionStopped())
                        : null);
    }

    /** The latest connection check. */
    @Schema(name = "Connection")
    public record ConnectionResponse(
            @Schema(enumeration = {"UNKNOWN", "CONNECTED", "UNREACHABLE", "TLS_ERROR", "UNAUTHORIZED", "FORBIDDEN"})
            String status,

            String message,
            @Schema(examples = "v1.20.2") String serverVersion,
            Long latencyMillis,
            Instant checkedAt,

            @Schema(
                    description = "When the credentials expire (a token's exp claim, the client certificate's end),"
                            + " as the last check read them; null when they do not say")
            Instant credentialsExpireAt,

            @Schema(
                    description = "What a CONNECTED check found worth a look: credentials holding far more than"
                            + " Windlass uses (any verb or resource), credentials that expire soon, a second load"
                            + " balancer next to MetalLB; empty when there is nothing")
            List<String> warnings) {

        static ConnectionResponse from(ConnectionCheck check) {
            return new ConnectionResponse(
                    check.status().name(),
                    check.message(),
                    check.serverVersion(),
                    check.latencyMillis(),
                    check.checkedAt(),
                    check.credentialsExpireAt(),
                    check.warnings());
        }
    }
}
