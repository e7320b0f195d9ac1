package dev.windlass.registry.service;

import dev.windlass.registry.domain.ConnectionStatus;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.domain.OrchestratorType;
import java.util.Set;

/**
 * List filters; a null member does not filter. {@code visibleTo}: the groups of a non-admin caller, who sees only the
 * orchestrators where a destination lists one of them (null for an admin, who sees all).
 */
public record OrchestratorFilter(
        OrchestratorType type,
        Environment environment,
        ConnectionStatus status,
        String nameContains,
        Set<String> visibleTo) {}
