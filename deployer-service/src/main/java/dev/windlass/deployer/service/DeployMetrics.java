package dev.windlass.deployer.service;

import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deploy pipeline's figures at {@code /q/metrics}: deploys by action and outcome
 * ({@code windlass_deploys_total}), how long a deployment stayed in each phase before the next
 * ({@code windlass_deploy_phase_seconds}, by from and to; {@code PENDING} is the API's state before the request is
 * consumed) and how long after its request it reached each phase
 * ({@code windlass_deploy_since_request_seconds}, by phase: {@code PROGRESSING} is the benchmarks' event-to-applied
 * latency), both with histogram buckets for percentiles. Recorded when a phase is written; a transaction that then
 * rolls back (a database outage) and is repeated counts its change twice, which these figures accept.
 */
@ApplicationScoped
public class DeployMetrics {

    private final MeterRegistry meters;
    // each tag set's meter is built and registered once; a phase change then only records
    private final Map<Key, Timer> phaseTimers = new ConcurrentHashMap<>();
    private final Map<Key, Timer> sinceRequestTimers = new ConcurrentHashMap<>();
    private final Map<Key, Counter> outcomes = new ConcurrentHashMap<>();

    public DeployMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    private record Key(String action, String from, String to) {}

    /** Deployment of {@code action} moved from {@code from} (null when new) to {@code to}. */
    void entered(
            DeploymentAction action,
            DeploymentState from,
            DeploymentPhase to,
            Instant lastChange,
            Instant requestedAt,
            Instant now) {
        String actionTag = action == null ? "UNKNOWN" : action.name();
        if (from != null && lastChange != null && from != DeploymentState.of(to)) {
            phaseTimers
                    .computeIfAbsent(
                            new Key(actionTag, from.name(), to.name()),
                            key -> timer(
                                            "windlass.deploy.phase",
                                            "How long a deployment stayed in a phase before the next")
                                    .tags("action", key.action(), "from", key.from(), "to", key.to())
                                    .register(meters))
                    .record(nonNegative(Duration.between(lastChange, now)));
        }
        if (requestedAt != null) {
            sinceRequestTimers
                    .computeIfAbsent(
                            new Key(actionTag, null, to.name()),
                            key -> timer(
                                            "windlass.deploy.since.request",
                                            "Time from a deployment's request to each phase it reached")
                                    .tags("action", key.action(), "phase", key.to())
                                    .register(meters))
                    .record(nonNegative(Duration.between(requestedAt, now)));
        }
        if (to.isFinal()) {
            outcomes.computeIfAbsent(
                            new Key(actionTag, null, to.name()),
                            key -> Counter.builder("windlass.deploys")
                                    .description("Deployments that ended, by action and final phase")
                                    .tags("action", key.action(), "outcome", key.to())
                                    .register(meters))
                    .increment();
        }
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(15));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
