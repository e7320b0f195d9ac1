package dev.windlass.deployer.testing;

import dev.windlass.deployer.kubernetes.ApplyResult;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.kubernetes.ClusterEvent;
import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.LiveObject;
import dev.windlass.deployer.kubernetes.LogRequest;
import dev.windlass.deployer.kubernetes.ObjectDrift;
import dev.windlass.deployer.kubernetes.PruneScope;
import dev.windlass.deployer.kubernetes.RenderedApp;
import dev.windlass.deployer.kubernetes.RetryListener;
import dev.windlass.deployer.kubernetes.RolloutState;
import dev.windlass.deployer.kubernetes.RolloutUpdate;
import dev.windlass.events.deployment.ObjectRef;
import dev.windlass.events.spec.AppSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A cluster for narrow pipeline tests, installed through {@link SwitchableCluster} for one test at a time: applies answer
 * what the test scripted per app, rollouts report only what the test says. End-to-end tests use the real cluster
 * layer against the dev-stack API server instead.
 */
public final class ScriptedCluster implements ClusterOperations {

    /** One call the pipeline made. */
    public record Call(String operation, String orchestrator, String namespace, String app, int revision) {}

    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Function<Call, Uni<ApplyResult>>>> applies = new ConcurrentHashMap<>();
    private final Map<String, BroadcastProcessor<RolloutUpdate>> rollouts = new ConcurrentHashMap<>();
    private final Map<String, Queue<RenderedApp>> rendered = new ConcurrentHashMap<>();
    private final Map<String, Queue<Optional<RenderedApp>>> appliedRendered = new ConcurrentHashMap<>();

    /** The next apply of {@code app} runs {@code answer}; unscripted applies succeed at once. */
    public ScriptedCluster onApply(String app, Function<Call, Uni<ApplyResult>> answer) {
        applies.computeIfAbsent(app, k -> new ConcurrentLinkedQueue<>()).add(answer);
        return this;
    }

    /** The next apply of {@code app} fails with a cluster failure. */
    public ScriptedCluster failApply(String app, int status, boolean transientFailure, String message) {
        return onApply(
                app, call -> Uni.createFrom().failure(new ClusterException(message, status, transientFailure, null)));
    }

    /** The next apply of {@code app} waits for {@code release}. */
    public ScriptedCluster holdApply(String app, CompletableFuture<Void> release) {
        return onApply(app, call -> Uni.createFrom().completionStage(release).replaceWith(applied(call)));
    }

    /** Reports the end of the rollout that is being followed for {@code app}. */
    public void finishRollout(String app, RolloutState state, String message) {
        BroadcastProcessor<RolloutUpdate> rollout = rollouts.get(app);
        if (rollout == null) {
            throw new AssertionError("no rollout of " + app + " is being followed");
        }
        rollout.onNext(new RolloutUpdate(state, message));
        rollout.onComplete();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String operation, String app) {
        return calls.stream()
                .filter(c -> c.operation().equals(operation) && c.app().equals(app))
                .toList();
    }

    @Override
    public RenderedApp render(String namespace, AppSpec spec, int revision) {
        calls.add(new Call("render", "", namespace, spec.name(), revision));
        RenderedApp app = new RenderedApp(
                namespace,
                spec.name(),
                revision,
                List.of(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(spec.name())
                        .withNamespace(namespace)
                        .endMetadata()
                        .build()));
        rendered.computeIfAbsent(spec.name(), k -> new ConcurrentLinkedQueue<>())
                .add(app);
        return app;
    }

    /** What {@link #render} gave for {@code app}, in order. */
    public List<RenderedApp> rendered(String app) {
        return List.copyOf(rendered.getOrDefault(app, new ConcurrentLinkedQueue<>()));
    }

    /** The rendered objects each apply of {@code app} was handed (empty: it was to render them itself). */
    public List<Optional<RenderedApp>> appliedRendered(String app) {
        return List.copyOf(appliedRendered.getOrDefault(app, new ConcurrentLinkedQueue<>()));
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster,
            String namespace,
            AppSpec spec,
            int revision,
            PruneScope prune,
            RetryListener listener,
            RenderedApp objects) {
        appliedRendered
                .computeIfAbsent(spec.name(), k -> new ConcurrentLinkedQueue<>())
                .add(Optional.ofNullable(objects));
        return apply(cluster, namespace, spec, revision, prune);
    }

    @Override
    public Uni<ApplyResult> apply(
            ClusterConnection cluster, String namespace, AppSpec spec, int revision, PruneScope prune) {
        Call call = new Call("apply", cluster.name(), namespace, spec.name(), revision);
        calls.add(call);
        Queue<Function<Call, Uni<ApplyResult>>> scripted = applies.get(spec.name());
        Function<Call, Uni<ApplyResult>> answer = scripted == null ? null : scripted.poll();
        return answer == null ? Uni.createFrom().item(applied(call)) : answer.apply(call);
    }

    @Override
    public Uni<List<ObjectRef>> delete(ClusterConnection cluster, String namespace, String app) {
        calls.add(new Call("delete", cluster.name(), namespace, app, 0));
        return Uni.createFrom().item(List.of(new ObjectRef("Deployment", namespace, app)));
    }

    @Override
    public Multi<RolloutUpdate> trackRollout(
            ClusterConnection cluster, String namespace, String app, int revision, Duration deadline) {
        calls.add(new Call("track", cluster.name(), namespace, app, revision));
        BroadcastProcessor<RolloutUpdate> rollout = BroadcastProcessor.create();
        rollouts.put(app, rollout);
        return Multi.createFrom()
                .item(new RolloutUpdate(RolloutState.PROGRESSING, "waiting"))
                .onCompletion()
                .switchTo(rollout);
    }

    @Override
    public Uni<List<LiveObject>> liveObjects(
            ClusterConnection cluster, String namespace, String app, List<ObjectRef> refs) {
        calls.add(new Call("live", cluster.name(), namespace, app, 0));
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Uni<List<ObjectDrift>> drift(ClusterConnection cluster, String namespace, AppSpec spec, int revision) {
        calls.add(new Call("drift", cluster.name(), namespace, spec.name(), revision));
        return Uni.createFrom().item(List.of());
    }

    @Override
    public Uni<String> logs(ClusterConnection cluster, LogRequest request) {
        calls.add(new Call("logs", cluster.name(), request.namespace(), request.app(), 0));
        return Uni.createFrom().item("");
    }

    @Override
    public Uni<List<ClusterEvent>> events(
            ClusterConnection cluster,
            String namespace,
            String app,
            List<ObjectRef> refs,
            int limit,
            Collection<String> secretValues) {
        calls.add(new Call("events", cluster.name(), namespace, app, 0));
        return Uni.createFrom().item(List.of());
    }

    /** No cluster behind it, so nothing ever changes: the stream stays open until cancelled. */
    @Override
    public Multi<String> changes(ClusterConnection cluster, String namespace, String app) {
        calls.add(new Call("changes", cluster.name(), namespace, app, 0));
        return Multi.createFrom().nothing();
    }

    @Override
    public Multi<String> followLog(ClusterConnection cluster, LogRequest request) {
        calls.add(new Call("followLog", cluster.name(), request.namespace(), request.app(), 0));
        return Multi.createFrom().empty();
    }

    @Override
    public void forget(String orchestratorName) {
        calls.add(new Call("forget", orchestratorName, null, null, 0));
    }

    private static ApplyResult applied(Call call) {
        return new ApplyResult(List.of(new ObjectRef("Deployment", call.namespace(), call.app())), List.of());
    }
}
