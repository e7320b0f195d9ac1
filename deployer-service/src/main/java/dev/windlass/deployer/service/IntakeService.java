package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.ValidationResult;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Takes in deploy requests from Kafka, whoever produced them: validates each record, dead-letters what can never
 * succeed, accepts the rest and hands them to the pipeline. Never fails for a bad record; infrastructure failures
 * (the database down) are retried with backoff before they are passed on.
 */
@ApplicationScoped
public class IntakeService {

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    private final IntakeRecorder recorder;
    private final ConnectionCache connections;
    private final DeploymentPipeline pipeline;
    private final DeployerConfig.Apply retry;

    public IntakeService(
            IntakeRecorder recorder, ConnectionCache connections, DeploymentPipeline pipeline, DeployerConfig config) {
        this.recorder = recorder;
        this.connections = connections;
        this.pipeline = pipeline;
        this.retry = config.apply();
    }

    /** Processes one consumed record; completes once its outcome is committed. */
    public Uni<Void> receive(IncomingRequest record) {
        // a database outage holds the record (and the consumer) until the database is back, for as long as the
        // pipeline's state changes wait for it: a record given up here would be dead-lettered by the connector
        // and its deployment, already stored as PENDING by the API, would never be carried out
        Uni<IntakeDecision> throughOutage = DatabaseOutage.retried(
                () -> decide(record)
                        .onFailure(DatabaseOutage::isCause)
                        .invoke(failure -> LOG.warnf(
                                "%s waits for the database: %s",
                                record, failure.getClass().getSimpleName())),
                retry.initialBackoff(),
                retry.maxBackoff());
        return throughOutage
                .onFailure(failure -> !DatabaseOutage.isCause(failure))
                .retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .atMost(Math.max(1, retry.maxAttempts() - 1L))
                .invoke(decision -> {
                    if (decision instanceof IntakeDecision.Accepted a) {
                        pipeline.enqueue(a.orchestrator(), a.namespace(), a.app(), a.deploymentId());
                    } else if (decision instanceof IntakeDecision.DeadLettered d) {
                        LOG.warnf("%s dead-lettered: %s", record, d.reason());
                    } else {
                        LOG.debugf("%s repeats a processed event", record);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<IntakeDecision> decide(IncomingRequest record) {
        ValidationResult<DeploymentRequested> result =
                EventValidator.validate(EventType.DEPLOYMENT_REQUESTED, record.value(), record.headers());
        if (result instanceof ValidationResult.Invalid<DeploymentRequested> invalid) {
            return recorder.reject(record, invalid.violations(), RejectedRequest.of(record));
        }
        EventEnvelope<DeploymentRequested> event = result.event().orElseThrow();
        String orchestrator = event.data().orchestrator();
        return connections
                .get(orchestrator)
                .replaceWith(true)
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithItem(false)
                // the registry being down is no reason to refuse: the pipeline looks again, with retries
                .onFailure(RegistryUnavailableException.class)
                .recoverWithItem(true)
                .flatMap(known -> known
                        ? recorder.accept(record, event)
                        : recorder.reject(
                                record,
                                List.of(new Violation(
                                        "orchestrator",
                                        IntakeRecorder.UNKNOWN_ORCHESTRATOR,
                                        "no orchestrator has this name")),
                                RejectedRequest.of(record)));
    }
}
