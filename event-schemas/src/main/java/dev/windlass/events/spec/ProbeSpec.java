package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One probe: an HTTP GET of {@code path} on {@code port}, or a TCP connect to {@code port}. The port must be
 * one of the spec's TCP container ports. Delays default to 0 s initially and every 10 s after.
 */
@RegisterForReflection
public record ProbeSpec(
        @Required ProbeType type,
        String path,
        @Required Integer port,
        Integer initialDelaySeconds,
        Integer periodSeconds) {

    /** Initial delay when none is given. */
    public static final int DEFAULT_INITIAL_DELAY_SECONDS = 0;

    /** Period when none is given (the Kubernetes default). */
    public static final int DEFAULT_PERIOD_SECONDS = 10;

    public ProbeSpec {
        initialDelaySeconds = initialDelaySeconds == null ? DEFAULT_INITIAL_DELAY_SECONDS : initialDelaySeconds;
        periodSeconds = periodSeconds == null ? DEFAULT_PERIOD_SECONDS : periodSeconds;
    }

    /** An HTTP GET probe with default timing. */
    public static ProbeSpec http(String path, int port) {
        return new ProbeSpec(ProbeType.HTTP, path, port, null, null);
    }

    /** A TCP connect probe with default timing. */
    public static ProbeSpec tcp(int port) {
        return new ProbeSpec(ProbeType.TCP, null, port, null, null);
    }
}
