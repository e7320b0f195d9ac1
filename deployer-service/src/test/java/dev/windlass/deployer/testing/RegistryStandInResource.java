package dev.windlass.deployer.testing;

import dev.windlass.devstack.DevStack;
import dev.windlass.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the registry stand-in (and the Kubernetes API server it describes) and points the deployer at it. */
public class RegistryStandInResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        // three partitions, so that keeping one app's requests in order is not a gift of a single partition
        DevStack.kafka()
                .createTopics(
                        3,
                        Topics.DEPLOY_REQUESTS,
                        Topics.DEPLOY_STATUS,
                        Topics.DEPLOY_REQUESTS_DLQ,
                        Topics.ORCHESTRATOR_EVENTS);
        RegistryStandIn standIn = RegistryStandIn.start();
        return Map.of("windlass.deployer.registry-url", standIn.url());
    }

    @Override
    public void stop() {
        RegistryStandIn.stopCurrent();
    }
}
