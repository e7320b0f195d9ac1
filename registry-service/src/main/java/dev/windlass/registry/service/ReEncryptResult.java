package dev.windlass.registry.service;

import java.util.List;
import java.util.UUID;

/** What a re-encryption run did: values moved to the active key, and orchestrators whose values could not be. */
public record ReEncryptResult(
        String activeKeyId, int orchestratorsUpdated, int valuesReEncrypted, List<UUID> failedOrchestratorIds) {}
