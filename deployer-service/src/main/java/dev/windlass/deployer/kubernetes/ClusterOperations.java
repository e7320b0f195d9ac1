package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/** What the deployer asks of a cluster: apply an app, delete it, follow its rollout. */
public interface ClusterOperations {

    /** Server-side applies the app's objects at {@code revision} and prunes the ones it no longer has; fails with ClusterException. */
    Uni<ApplyResult> apply(ClusterConnection cluster, String namespace, AppSpec spec, int revision);

    /** Deletes every object Windlass created for the app; fails with ClusterException. */
    Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app);

    /** PROGRESSING updates, then one SUCCEEDED or FAILED, then completion. */
    Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline);

    /** Drops everything cached for this orchestrator (clients, connection pools). */
    void forget(String orchestratorName);
}
