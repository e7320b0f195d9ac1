package dev.windlass.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the two stand-in services once per JVM and points the gateway at them. Every gateway test class declares
 * this resource with {@code DevStackResource}, so they all share one running application.
 */
public class TestBackends implements QuarkusTestResourceLifecycleManager {

    private static TestBackend registry;
    private static TestBackend deployer;

    /** The stand-in for registry-service. */
    public static synchronized TestBackend registry() {
        if (registry == null) {
            registry = new TestBackend("registry").start();
        }
        return registry;
    }

    /** The stand-in for deployer-service. */
    public static synchronized TestBackend deployer() {
        if (deployer == null) {
            deployer = new TestBackend("deployer").start();
        }
        return deployer;
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "windlass.gateway.registry-url", registry().url(),
                "windlass.gateway.deployer-url", deployer().url());
    }

    @Override
    public void stop() {
        // shared by every test class in this JVM; the JVM's exit ends them
    }
}
