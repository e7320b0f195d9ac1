package dev.windlass.deployer.service;

import dev.windlass.common.stream.StreamSlots;
import dev.windlass.deployer.config.DeployerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The deployer's event streams (a deployment's phases, an app's status, a followed log) share one count per caller:
 * at most {@code windlass.deployer.api.max-streams-per-caller} open on this replica.
 */
@ApplicationScoped
public class StreamLimits {

    @Produces
    @Singleton
    StreamSlots slots(DeployerConfig config) {
        return new StreamSlots(config.api().maxStreamsPerCaller());
    }
}
