package dev.windlass.registry.service;

import dev.windlass.common.access.Destination;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a create or update. Enumerations arrive as text so an unknown value is reported by field and rule.
 * Credentials are write-only: on update, null (or absent) keeps the stored value and an empty string clears it.
 */
@Schema(name = "OrchestratorInput", description = "An orchestrator to create, or its new configuration")
public record OrchestratorInput(
        @Schema(
                description = "DNS label (RFC 1123), unique, not of the form of an id (a UUID)",
                examples = "edge-k3s",
                required = true)
        String name,

        @Schema(description = "Free text", maxLength = 1000) String description,

        @Schema(
                enumeration = {"dev", "staging", "prod"},
                required = true)
        String environment,

        @Schema(
                enumeration = {"K3S", "K8S", "EKS", "GKE", "AKS"},
                required = true)
        String type,

        @Schema(
                description = "https URL of the API server; ignored for IN_CLUSTER",
                examples = "https://10.0.0.10:6443")
        String apiServerUrl,

        @Schema(
                enumeration = {"IN_CLUSTER", "TOKEN", "CERTIFICATE"},
                required = true)
        String authType,

        @Schema(description = "Write-only bearer token (TOKEN)", writeOnly = true)
        String token,

        @Schema(description = "Write-only PEM client certificate (CERTIFICATE)", writeOnly = true)
        String clientCertificatePem,

        @Schema(description = "Write-only PEM private key of the client certificate (CERTIFICATE)", writeOnly = true)
        String clientKeyPem,

        @Schema(description = "Write-only PEM CA bundle that signed the API server's certificate", writeOnly = true)
        String caCertificatePem,

        @Schema(description = "Accept any server certificate; contradicts caCertificatePem; refused for prod")
        Boolean skipTlsVerify,

        @Schema(description = "K3S only: a.b.c.d-a.b.c.e or a CIDR", examples = "192.168.1.240-192.168.1.250")
        String metalLbIpRange,

        @Schema(
                description = "Where this cluster's Authentik outpost answers Traefik's forward-auth requests (http or"
                        + " https, as Traefik reaches it); needed by apps whose ingress asks for forwardAuth",
                examples = "http://ak-outpost-authentik-embedded-outpost.authentik:9000")
        String authentikOutpostUrl,

        @Schema(description = "DNS label; default \"default\"")
        String defaultNamespace,

        @Schema(
                description = "Groups allowed to deploy to this orchestrator, in every namespace but default (shorthand"
                        + " for one destination {namespaces: [*], groups}); give this or destinations")
        List<String> allowedGroups,

        @Schema(
                description = "Which groups may deploy to which namespaces: names, prefixes (team-a-*) or *, which"
                        + " never covers default; kube-* and Windlass's own namespace are never destinations")
        List<Destination> destinations) {}
