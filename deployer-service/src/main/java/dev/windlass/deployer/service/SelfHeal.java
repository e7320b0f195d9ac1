package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.kubernetes.ClusterOperations;
import dev.windlass.deployer.kubernetes.ObjectDrift;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Puts an app back when its cluster drifts from its newest revision and that revision asks for it ({@code spec
 * .selfHeal: true}), as Argo CD's automated sync with {@code selfHeal} does: every {@code
 * windlass.deployer.self-heal.interval} each such app whose newest deployment succeeded is compared with the cluster
 * by the drift check its status uses; when an object differs (a field another manager took, a field removed, an
 * object deleted or taken over), the revision is rolled back to itself — a new revision with the same spec, requested
 * by the self-heal actor, carried out by the same pipeline as every deploy (order per app, exactly once).
 *
 * <p>Rate-limited: an app whose newest deployment is a heal less than {@code min-interval} old is not healed again
 * (a fight with another controller does not become a loop; a person's deploy in between starts afresh), and the
 * request's Idempotency-Key is the app's newest deployment, so replicas sweeping at once make one heal; counted ({@code windlass.self.heals} by outcome); audited: the revision, its deployment and its phases name the
 * self-heal actor and say which objects and fields differed, in the log too.
 */
@ApplicationScoped
public class SelfHeal {

    /**
     * Who heals: a system actor that acts for the apps whose deployers asked for self-heal, on the revision they
     * deployed, never on anything else. Admin rights because the revision was already authorized when it was made.
     */
    public static final Caller ACTOR = new Caller("system:windlass-self-heal", "windlass-self-heal", Set.of(), true);

    private static final Logger LOG = Logger.getLogger(SelfHeal.class);

    private final QueryService queries;
    private final RequestService requests;
    private final ConnectionCache connections;
    private final ClusterOperations cluster;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final Duration interval;
    private final Duration minInterval;
    private final Counter healed;
    private final Counter inSync;
    private final Counter failed;
    private long timer = -1;

    public SelfHeal(
            QueryService queries,
            RequestService requests,
            ConnectionCache connections,
            ClusterOperations cluster,
            ContextRunner runner,
            Vertx vertx,
            MeterRegistry meters,
            DeployerConfig config) {
        this.queries = queries;
        this.requests = requests;
        this.connections = connections;
        this.cluster = cluster;
        this.runner = runner;
        this.vertx = vertx;
        this.interval = config.selfHeal().interval();
        this.minInterval = config.selfHeal().minInterval();
        this.healed = counter(meters, "healed");
        this.inSync = counter(meters, "in-sync");
        this.failed = counter(meters, "failed");
    }

    /** What one look at an app found. */
    public enum Outcome {
        /** The cluster holds the revision: nothing to do. */
        IN_SYNC,
        /** It did not: the revision is being applied again. */
        HEALED,
        /** It did not, but the app was healed in this window already. */
        RATE_LIMITED,
        /** The app or its cluster could not be compared now; the next sweep tries again. */
        FAILED
    }

    /** One app's result of a sweep; {@code deployment} is the heal's when there is one. */
    public record Result(AppRef app, Outcome outcome, String detail, UUID deployment) {

        Result(AppRef app, Outcome outcome, String detail) {
            this(app, outcome, detail, null);
        }
    }

    void start(@Observes StartupEvent start) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = vertx.setPeriodic(
                interval.toMillis(),
                ignored -> sweep().subscribe()
                        .with(
                                results -> LOG.debugf("self-heal looked at %d app(s)", results.size()),
                                failure -> LOG.warnf("self-heal sweep failed: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Looks at every app that asks for self-heal, one after another; what each look found. */
    public Uni<List<Result>> sweep() {
        return runner.onNewContext(queries::selfHealCandidates)
                .onItem()
                .transformToMulti(apps -> Multi.createFrom().iterable(apps))
                .onItem()
                .transformToUniAndConcatenate(candidate -> heal(candidate.app(), candidate.latest()))
                .collect()
                .asList();
    }

    private Uni<Result> heal(AppRef ref, Deployment latest) {
        String orchestrator = ref.orchestratorRef();
        return runner.onNewContext(() -> queries.appObjects(ACTOR, orchestrator, ref.namespace(), ref.app()))
                .flatMap(recorded -> !recorded.spec().selfHeal()
                        ? Uni.createFrom().item(new Result(ref, Outcome.IN_SYNC, "self-heal is off"))
                        : connections
                                .get(orchestrator)
                                .flatMap(connection -> cluster.drift(
                                        connection, ref.namespace(), recorded.spec(), recorded.revision()))
                                .flatMap(drifts -> act(ref, latest, recorded.revision(), drifts)))
                .onFailure()
                .recoverWithItem(e -> {
                    failed.increment();
                    LOG.warnf("self-heal could not compare %s with its cluster: %s", ref.key(), e.getMessage());
                    return new Result(ref, Outcome.FAILED, e.getMessage());
                });
    }

    private Uni<Result> act(AppRef ref, Deployment latest, int revision, List<ObjectDrift> drifts) {
        List<ObjectDrift> differing =
                drifts.stream().filter(ObjectDrift::checked).toList();
        if (differing.isEmpty()) {
            inSync.increment();
            return Uni.createFrom().item(new Result(ref, Outcome.IN_SYNC, null));
        }
        String what = differing.stream()
                .map(d -> d.kind() + " " + d.name() + (d.fields().isEmpty() ? "" : " " + String.join(", ", d.fields()))
                        + ": " + d.reason())
                .collect(Collectors.joining("; "));
        if (ACTOR.subject().equals(latest.requestedBySubject)
                && latest.requestedAt.isAfter(Instant.now().minus(minInterval))) {
            return Uni.createFrom().item(new Result(ref, Outcome.RATE_LIMITED, what));
        }
        return runner.onNewContext(() -> requests.rollback(
                        ACTOR, ref.orchestratorRef(), ref.namespace(), ref.app(), revision, "self-heal/" + latest.id))
                .map(submitted -> {
                    if (!submitted.created()) {
                        return new Result(ref, Outcome.RATE_LIMITED, what);
                    }
                    healed.increment();
                    LOG.infof(
                            "self-heal: %s drifted from revision %d (%s); applying it again as deployment %s",
                            ref.key(), revision, what, submitted.deployment().id);
                    return new Result(ref, Outcome.HEALED, what, submitted.deployment().id);
                });
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("windlass.self.heals")
                .description("Looks of self-heal at an app, by what they found")
                .tag("outcome", outcome)
                .register(meters);
    }
}
