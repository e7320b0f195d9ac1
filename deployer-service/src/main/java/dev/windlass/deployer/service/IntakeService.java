package dev.windlass.deployer.service;

import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.trust.IssuerUnavailableException;
import dev.windlass.deployer.trust.RecordTokens;
import dev.windlass.deployer.trust.RefusedTokenException;
import dev.windlass.deployer.trust.SealedValueException;
import dev.windlass.deployer.trust.SealingKeys;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecLimits;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.Rules;
import dev.windlass.events.validation.ValidationResult;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Takes in deploy requests from Kafka, whoever produced them: checks who asked (the access token in the record's
 * {@code authorization} header, judged at the broker's append time, with the HTTP API's rules and {@link
 * AccessPolicy}; or, for a record without a token, that it is the request the API stored), validates it, opens its
 * sealed secret values, dead-letters what can never succeed, accepts the rest and hands them to the pipeline. Never
 * fails for a bad record; infrastructure failures (the database or the identity provider down) are retried with
 * backoff before they are passed on.
 */
@ApplicationScoped
public class IntakeService {

    private static final Logger LOG = Logger.getLogger(IntakeService.class);

    private final IntakeRecorder recorder;
    private final ConnectionCache connections;
    private final DeploymentPipeline pipeline;
    private final DeployerConfig.Apply retry;
    private final RecordTokens tokens;
    private final SealingKeys sealing;
    private final boolean allowPlaintext;
    private final java.util.concurrent.atomic.AtomicBoolean warnedCreateTime =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final String ownNamespace;

    public IntakeService(
            IntakeRecorder recorder,
            ConnectionCache connections,
            DeploymentPipeline pipeline,
            DeployerConfig config,
            RecordTokens tokens,
            SealingKeys sealing) {
        this.recorder = recorder;
        this.connections = connections;
        this.pipeline = pipeline;
        this.retry = config.apply();
        this.tokens = tokens;
        this.sealing = sealing;
        this.allowPlaintext = config.sealing().allowPlaintext();
        this.ownNamespace = config.ownNamespace().orElse(null);
    }

    /** The namespace a request is for: its own, else the orchestrator's default. */
    private static String namespaceOf(DeploymentRequested request, ClusterConnection connection) {
        return request.namespace() != null ? request.namespace() : connection.defaultNamespace();
    }

    /** Processes one consumed record; completes once its outcome is committed. */
    public Uni<Void> receive(IncomingRequest record) {
        // a database outage holds the record (and the consumer) until the database is back, for as long as the
        // pipeline's state changes wait for it: a record given up here would be dead-lettered by the connector
        // and its deployment, already stored as PENDING by the API, would never be carried out
        // so does an identity provider that cannot be reached: a token cannot be judged without its keys
        // every attempt runs on the record's own context: a retry after a backoff is resubscribed on a worker thread
        Context context = Vertx.currentContext();
        Uni<IntakeDecision> throughOutage = DatabaseOutage.retried(
                () -> onContext(context, () -> decide(record).flatMap(recorder::write))
                        .onFailure(IntakeService::isOutage)
                        .invoke(failure -> LOG.warnf(
                                "%s waits for %s: %s",
                                record, awaited(failure), failure.getClass().getSimpleName())),
                IntakeService::isOutage,
                retry.initialBackoff(),
                retry.maxBackoff());
        return throughOutage
                .onFailure(failure -> !isOutage(failure))
                .retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .atMost(Math.max(1, retry.maxAttempts() - 1L))
                .invoke(decision -> handOver(record, decision))
                .onFailure()
                .invoke(failure -> LOG.errorf(
                        "%s could not be processed (%s); the connector dead-letters it",
                        record, failure.getClass().getSimpleName()))
                .replaceWithVoid();
    }

    /**
     * Processes the records of one poll, in their order: each is checked on its own (token, content, rights, sealed
     * values), then what all of them record is written in one transaction, so a burst of requests costs one commit
     * per poll instead of one per record. Through an outage the whole poll waits, as a single record does. Should the
     * poll's transaction fail otherwise (one record whose writing fails, say), nothing of it was recorded, and each
     * record is processed again on its own with {@code one} ({@link #receive} and what the caller does when that
     * fails), which keeps the others from sharing that record's fate. Completes once every record's outcome is
     * committed.
     */
    public Uni<Void> receiveAll(List<IncomingRequest> records, Function<IncomingRequest, Uni<Void>> one) {
        if (records.size() == 1) {
            return one.apply(records.get(0));
        }
        Context context = Vertx.currentContext();
        Uni<List<IntakeDecision>> together = DatabaseOutage.retried(
                () -> onContext(
                                context,
                                () -> Multi.createFrom()
                                        .iterable(records)
                                        .onItem()
                                        .transformToUniAndConcatenate(this::decide)
                                        .collect()
                                        .asList()
                                        .flatMap(recorder::writeAll))
                        .onFailure(IntakeService::isOutage)
                        .invoke(failure -> LOG.warnf(
                                "%d records wait for %s: %s",
                                records.size(),
                                awaited(failure),
                                failure.getClass().getSimpleName())),
                IntakeService::isOutage,
                retry.initialBackoff(),
                retry.maxBackoff());
        return together.onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf(
                            "the %d records of a poll were not recorded together (%s: %s); each is processed on its"
                                    + " own",
                            records.size(), failure.getClass().getSimpleName(), failure.getMessage());
                    Uni<Void> oneByOne = Uni.createFrom().voidItem();
                    for (IncomingRequest record : records) {
                        oneByOne = oneByOne.chain(() -> one.apply(record));
                    }
                    return oneByOne.replaceWith((List<IntakeDecision>) null);
                })
                .invoke(decisions -> {
                    if (decisions != null) {
                        for (int i = 0; i < records.size(); i++) {
                            handOver(records.get(i), decisions.get(i));
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** Hands an accepted deployment to the pipeline once its record's outcome is committed. */
    private void handOver(IncomingRequest record, IntakeDecision decision) {
        if (decision instanceof IntakeDecision.Accepted a) {
            pipeline.enqueue(a.appKey(), a.deploymentId(), a.started());
        } else if (decision instanceof IntakeDecision.DeadLettered d) {
            LOG.warnf("%s dead-lettered: %s", record, d.reason());
        } else {
            LOG.debugf("%s repeats a processed event", record);
        }
    }

    private static String awaited(Throwable failure) {
        return failure instanceof IssuerUnavailableException
                ? "the identity provider"
                : failure instanceof RegistryUnavailableException ? "the registry" : "the database";
    }

    /**
     * What a record waits for rather than being refused: the database, the identity provider's keys (a token cannot be
     * judged without them) and the registry (nor can the orchestrator's groups be checked without it).
     */
    private static <T> Uni<T> onContext(Context context, java.util.function.Supplier<Uni<T>> work) {
        Uni<T> deferred = Uni.createFrom().deferred(work::get);
        return context == null
                ? deferred
                : deferred.runSubscriptionOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private static boolean isOutage(Throwable failure) {
        return DatabaseOutage.isCause(failure)
                || failure instanceof IssuerUnavailableException
                || failure instanceof RegistryUnavailableException;
    }

    private Uni<IntakeRecorder.Write> decide(IncomingRequest record) {
        String token = RequestTrust.bearerToken(record.headers());
        if (token == null) {
            // the API's own records: taken only for the deployment it stored (IntakeRecorder.accept)
            return validated(
                    record, RejectedRequest.of(record).withoutEventId(), event -> openSecrets(record, event, null));
        }
        if (record.appendedAt() == null && warnedCreateTime.compareAndSet(false, true)) {
            LOG.warnf(
                    "%s keeps the producers' time (CreateTime): tokens are judged when a record is read, so a request"
                            + " held through a long outage may have expired; create the topic with"
                            + " message.timestamp.type=LogAppendTime",
                    record.topic());
        }
        Instant at = record.appendedAt() != null ? record.appendedAt() : Instant.now();
        // the token is checked on a worker thread; the intake's transactions go on in this record's context
        Context context = Vertx.currentContext();
        return tokens.verify(token, at)
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .onFailure(RefusedTokenException.class)
                .recoverWithItem(failure -> null)
                .flatMap(caller -> {
                    if (caller == null) {
                        return refuse(
                                record,
                                RequestTrust.AUTHORIZATION_HEADER,
                                RequestTrust.UNAUTHENTICATED,
                                "carries a token that does not count");
                    }
                    RejectedRequest known = RejectedRequest.of(record).fromAuthenticatedSender();
                    return validated(record, known, event -> authorized(record, event, caller, known));
                });
    }

    private Uni<IntakeRecorder.Write> validated(
            IncomingRequest record,
            RejectedRequest known,
            java.util.function.Function<EventEnvelope<DeploymentRequested>, Uni<IntakeRecorder.Write>> next) {
        ValidationResult<DeploymentRequested> result =
                EventValidator.validate(EventType.DEPLOYMENT_REQUESTED, record.value(), record.headers());
        if (result instanceof ValidationResult.Invalid<DeploymentRequested> invalid) {
            return Uni.createFrom().item(recorder.rejecting(record, invalid.violations(), known));
        }
        return next.apply(result.event().orElseThrow());
    }

    /** The same rules as the HTTP API: a deployer role, then the orchestrator's groups. */
    private Uni<IntakeRecorder.Write> authorized(
            IncomingRequest record,
            EventEnvelope<DeploymentRequested> event,
            RecordTokens.TokenCaller caller,
            RejectedRequest known) {
        if (!caller.mayChangeDeployments()) {
            return refuse(
                    record,
                    RequestTrust.AUTHORIZATION_HEADER,
                    RequestTrust.FORBIDDEN,
                    "the token's groups give no role that may change deployments");
        }
        String orchestrator = event.data().orchestrator();
        return connections
                .get(orchestrator)
                .map(connection -> {
                    AccessPolicy.requireMayDeploy(
                            caller.caller(), connection, namespaceOf(event.data(), connection), ownNamespace);
                    return true;
                })
                .onFailure(OrchestratorNotFoundException.class)
                .recoverWithItem(false)
                .flatMap(known2 -> known2
                        ? openSecrets(record, event, caller.caller())
                        : Uni.createFrom()
                                .item(recorder.rejecting(
                                        record,
                                        List.of(new Violation(
                                                "orchestrator",
                                                IntakeRecorder.UNKNOWN_ORCHESTRATOR,
                                                "no orchestrator has this name")),
                                        known)))
                .onFailure(NotAllowedException.class)
                .recoverWithUni(failure -> refuse(
                        record, ((NotAllowedException) failure).field(), RequestTrust.FORBIDDEN, failure.getMessage()));
    }

    /** Opens the sealed secret values, then accepts; a value in the clear or one that does not open is refused. */
    private Uni<IntakeRecorder.Write> openSecrets(
            IncomingRequest record, EventEnvelope<DeploymentRequested> event, Caller requester) {
        AppSpec spec = event.data().spec();
        if (spec == null || spec.secretEnv().isEmpty()) {
            return Uni.createFrom().item(recorder.accepting(record, event, spec, requester));
        }
        return sealing.openAll(spec.secretEnv())
                .map(opened -> spec.withSecretEnv(opened))
                .onFailure(SealedValueException.class)
                .recoverWithUni(failure -> {
                    SealedValueException sealed = (SealedValueException) failure;
                    if (sealed.plaintext() && allowPlaintext) {
                        return Uni.createFrom().item(spec);
                    }
                    return Uni.createFrom().failure(failure);
                })
                .flatMap(opened -> {
                    List<Violation> tooLong = opened.secretEnv().entrySet().stream()
                            .filter(e ->
                                    e.getValue() != null && e.getValue().length() > SpecLimits.MAX_ENV_VALUE_LENGTH)
                            .map(e -> new Violation(
                                    "spec.secretEnv." + e.getKey(),
                                    Rules.MAX_LENGTH,
                                    "holds more than " + SpecLimits.MAX_ENV_VALUE_LENGTH + " characters"))
                            .toList();
                    return Uni.createFrom()
                            .item(
                                    tooLong.isEmpty()
                                            ? recorder.accepting(record, event, opened, requester)
                                            : recorder.rejecting(
                                                    record,
                                                    tooLong,
                                                    RejectedRequest.of(record).withoutEventId()));
                })
                .onFailure(SealedValueException.class)
                .recoverWithUni(failure -> {
                    SealedValueException sealed = (SealedValueException) failure;
                    return refuse(
                            record,
                            "spec.secretEnv." + sealed.variable(),
                            sealed.plaintext() ? RequestTrust.PLAINTEXT_SECRET : RequestTrust.UNSEALABLE_SECRET,
                            sealed.getMessage());
                });
    }

    /**
     * Dead-letters a record refused before it is trusted: no deployment is failed, nothing is announced, no event id
     * is claimed.
     */
    private Uni<IntakeRecorder.Write> refuse(IncomingRequest record, String path, String rule, String message) {
        RejectedRequest nothing = new RejectedRequest(null, null, null, null, null);
        return Uni.createFrom().item(recorder.rejecting(record, List.of(new Violation(path, rule, message)), nothing));
    }
}
