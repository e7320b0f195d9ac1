package dev.windlass.deployer.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The profile of every {@code @QuarkusTest} of the deployer core (so the application starts once for all of them): adds the registry
 * stand-in next to the dev stack, and keeps the cluster layer for {@link SwitchableCluster}.
 */
public class DeployerTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // only SwitchableCluster injects the cluster layer in tests; keep the real one all the same
        return Map.of(
                "quarkus.arc.unremovable-types",
                "dev.windlass.deployer.kubernetes.**",
                // Windlass's own public hosts in these tests (HostClaimsTest)
                "windlass.deployer.hosts.reserved",
                "windlass.example.test,Auth.Example.Test");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(SwitchableCluster.class);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RegistryStandInResource.class));
    }
}
