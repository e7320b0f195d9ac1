package dev.windlass.deployer.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * The one profile of every {@code @QuarkusTest} in this module (so the application starts once): adds the registry
 * stand-in next to the dev stack.
 */
public class DeployerTestProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RegistryStandInResource.class));
    }
}
