package dev.windlass.registry.service;

import dev.windlass.registry.domain.ConnectionStatus;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.domain.OrchestratorType;

/** List filters; a null member does not filter. */
public record OrchestratorFilter(
        OrchestratorType type, Environment environment, ConnectionStatus status, String nameContains) {}
