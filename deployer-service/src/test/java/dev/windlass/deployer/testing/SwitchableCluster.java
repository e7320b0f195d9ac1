package dev.windlass.deployer.testing;

import dev.windlass.deployer.kubernetes.ApplyResult;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterEvent;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.LiveObject;
import dev.windlass.deployer.kubernetes.LogRequest;
import dev.windlass.deployer.kubernetes.ObjectDrift;
import dev.windlass.deployer.kubernetes.PruneScope;
import dev.windlass.deployer.kubernetes.RenderedApp;
import dev.windlass.deployer.kubernetes.RetryListener;
import dev.windlass.deployer.kubernetes.RolloutUpdate;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The cluster as tests under {@link DeployerTestProfile} see it (the profile selects this alternative): the real
 * cluster layer, unless a narrow test scripts the cluster for its own duration with {@link #script(ScriptedCluster)}
 * (and {@link #reset()} after). End-to-end tests never script it.
 */
@Alternative
@ApplicationScoped
public class SwitchableCluster implements ClusterOperations {

    private static volatile ClusterOperations scripted;

    private final ClusterOperations real;

    public SwitchableCluster(BeanManager beans) {
        Bean<?> layer = beans.getBeans(ClusterOperations.class, Any.Literal.INSTANCE).stream()
                .filter(bean -> bean.getBeanClass() != SwitchableCluster.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no cluster layer to test against"));
        this.real = (ClusterOperations)
                beans.getReference(layer, ClusterOperations.class, beans.createCreationalContext(layer));
    }

    /** Answers cluster calls from {@code cluster} until {@link #reset()}. */
    public static void script(ScriptedCluster cluster) {
        scripted = cluster;
    }

    /** Back to the real cluster layer. */
    public static void reset() {
        scripted = null;
    }

    private ClusterOperations current() {
        ClusterOperations script = scripted;
        return script != null ? script : real;
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster, String namespace, AppSpec spec, int revision, PruneScope prune) {
        return current().apply(cluster, namespace, spec, revision, prune);
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster,
            String namespace,
            AppSpec spec,
            int revision,
            PruneScope prune,
            RetryListener listener,
            RenderedApp rendered) {
        return current().apply(cluster, namespace, spec, revision, prune, listener, rendered);
    }

    @Override
    public Uni<List<ObjectRef>> delete(
            ClusterConnection cluster, String namespace, String app, RetryListener listener) {
        return current().delete(cluster, namespace, app, listener);
    }

    @Override
    public RenderedApp render(String namespace, AppSpec spec, int revision) {
        return current().render(namespace, spec, revision);
    }

    @Override
    public Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app) {
        return current().delete(cluster, namespace, app);
    }

    @Override
    public Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        return current().trackRollout(cluster, namespace, app, revision, deadline);
    }

    @Override
    public Uni<List<LiveObject>> liveObjects(
            ClusterConnection cluster, String namespace, String app, List<ObjectRef> refs) {
        return current().liveObjects(cluster, namespace, app, refs);
    }

    @Override
    public Uni<List<ObjectDrift>> drift(ClusterConnection cluster, String namespace, AppSpec spec, int revision) {
        return current().drift(cluster, namespace, spec, revision);
    }

    @Override
    public Uni<String> logs(ClusterConnection cluster, LogRequest request) {
        return current().logs(cluster, request);
    }

    @Override
    public Uni<List<ClusterEvent>> events(
            ClusterConnection cluster,
            String namespace,
            String app,
            List<ObjectRef> refs,
            int limit,
            Collection<String> secretValues) {
        return current().events(cluster, namespace, app, refs, limit, secretValues);
    }

    @Override
    public Multi<String> changes(ClusterConnection cluster, String namespace, String app) {
        return current().changes(cluster, namespace, app);
    }

    @Override
    public Multi<String> followLog(ClusterConnection cluster, LogRequest request) {
        return current().followLog(cluster, request);
    }

    @Override
    public void forget(String orchestratorName) {
        current().forget(orchestratorName);
        if (scripted != null) {
            real.forget(orchestratorName);
        }
    }
}
