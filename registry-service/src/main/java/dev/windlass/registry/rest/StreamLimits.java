package dev.windlass.registry.rest;

import dev.windlass.common.stream.StreamSlots;
import dev.windlass.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The registry's event streams: at most {@code windlass.registry.max-streams-per-caller} per caller and replica. */
@ApplicationScoped
public class StreamLimits {

    @Produces
    @Singleton
    StreamSlots slots(RegistryConfig config) {
        return new StreamSlots(config.maxStreamsPerCaller());
    }
}
