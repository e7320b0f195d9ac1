package dev.windlass.deployer.testing;

import dev.windlass.deployer.kubernetes.ApplyResult;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.RolloutUpdate;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** Stands in until the cluster layer is merged: every call fails permanently. */
@DefaultBean
@ApplicationScoped
public class UnmergedClusterLayer implements ClusterOperations {

    private static ClusterException missing() {
        return new ClusterException("the cluster layer is not merged yet", 0, false, null);
    }

    @Override
    public Uni<ApplyResult> apply(ClusterConnection cluster, String namespace, AppSpec spec, int revision) {
        return Uni.createFrom().failure(missing());
    }

    @Override
    public Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app) {
        return Uni.createFrom().failure(missing());
    }

    @Override
    public Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return Multi.createFrom().failure(missing());
    }

    @Override
    public void forget(String orchestratorName) {}
}
