package dev.windlass.events.orchestrator;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The result of the latest connection check: status, a human message, and for CONNECTED the API server's
 * version and the round-trip latency.
 */
@RegisterForReflection
public record ConnectionState(
        @Required ConnectionStatus status,
        String message,
        String serverVersion,
        Long latencyMillis,
        Instant checkedAt) {}
