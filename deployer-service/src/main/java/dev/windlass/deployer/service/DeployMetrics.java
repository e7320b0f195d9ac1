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

    public DeployMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

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
            timer("windlass.deploy.phase", "How long a deployment stayed in a phase before the next")
                    .tags("action", actionTag, "from", from.name(), "to", to.name())
                    .register(meters)
                    .record(nonNegative(Duration.between(lastChange, now)));
        }
        if (requestedAt != null) {
            timer("windlass.deploy.since.request", "Time from a deployment's request to each phase it reached")
                    .tags("action", actionTag, "phase", to.name())
                    .register(meters)
                    .record(nonNegative(Duration.between(requestedAt, now)));
        }
        if (to.isFinal()) {
            Counter.builder("windlass.deploys")
                    .description("Deployments that ended, by action and final phase")
                    .tags("action", actionTag, "outcome", to.name())
                    .register(meters)
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
