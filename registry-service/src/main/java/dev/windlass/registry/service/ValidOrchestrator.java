package dev.windlass.registry.service;

import dev.windlass.common.access.Destination;
import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.domain.OrchestratorType;
import java.util.List;
import java.util.Map;

/** An orchestrator configuration that passed every rule; {@code credentials} holds only the ones its auth type uses. */
public record ValidOrchestrator(
        String name,
        String description,
        Environment environment,
        OrchestratorType type,
        String apiServerUrl,
        AuthType authType,
        Map<CredentialField, String> credentials,
        boolean skipTlsVerify,
        String metalLbIpRange,
        String authentikOutpostUrl,
        String defaultNamespace,
        List<String> allowedGroups,
        List<Destination> destinations) {}
