package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A PersistentVolumeClaim mounted into the container; {@code size} is a quantity such as {@code 10Gi},
 * {@code storageClass} falls back to the cluster default when absent.
 */
@RegisterForReflection
public record VolumeSpec(
        @Required String name,
        @Required String mountPath,
        @Required String size,
        String storageClass) {}
