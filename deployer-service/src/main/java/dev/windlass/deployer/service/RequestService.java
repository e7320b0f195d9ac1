package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.deployer.messaging.EventMapper;
import dev.windlass.deployer.repository.DeploymentRepository;
import dev.windlass.deployer.repository.RevisionRepository;
import dev.windlass.deployer.trust.RequestDigest;
import dev.windlass.deployer.trust.SealingKeys;
import dev.windlass.events.Actor;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventType;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.SpecLimits;
import dev.windlass.events.validation.EventValidator;
import dev.windlass.events.validation.Rules;
import dev.windlass.events.validation.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The API's write use cases: deploy, roll back, undeploy. Each checks the caller against the orchestrator, then
 * stores the deployment as PENDING and its request event in the outbox in one transaction; the request reaches
 * the pipeline through the requests topic like any other producer's.
 */
@ApplicationScoped
public class RequestService {

    /** Longest accepted Idempotency-Key. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;

    private static final ObjectMapper CANONICAL =
            EventJson.mapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Set<String> SERVER_SET_FIELDS = Set.of("deploymentId", "app", "requestedBy", "requestedAt");

    private final ConnectionCache connections;
    private final DeploymentRepository deployments;
    private final RevisionRepository revisions;
    private final Outbox outbox;
    private final SealingKeys sealing;
    private final HostClaims hosts;

    private final String ownNamespace;

    public RequestService(
            ConnectionCache connections,
            DeploymentRepository deployments,
            RevisionRepository revisions,
            Outbox outbox,
            SealingKeys sealing,
            HostClaims hosts,
            DeployerConfig config) {
        this.ownNamespace = config.ownNamespace().orElse(null);
        this.connections = connections;
        this.deployments = deployments;
        this.revisions = revisions;
        this.outbox = outbox;
        this.sealing = sealing;
        this.hosts = hosts;
    }

    /** A deployment as the API stored it, and whether this call stored it (false: an idempotent repeat). */
    public record Submitted(Deployment deployment, boolean created) {}

    /** Asks for {@code spec} on the orchestrator; {@code namespace} null means the orchestrator's default. */
    public Uni<Submitted> deploy(
            Caller caller, String orchestrator, String namespace, AppSpec spec, String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        List<Violation> violations = requestViolations(orchestrator, namespace, spec);
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ValidationFailedException(violations));
        }
        return orchestrator(orchestrator, true).flatMap(connection -> {
            String ns = namespace != null ? namespace : connection.defaultNamespace();
            if (ns == null || ns.isBlank()) {
                return Uni.createFrom()
                        .failure(new ValidationFailedException(
                                "namespace", Rules.REQUIRED, "is required: the orchestrator has no default namespace"));
            }
            AccessPolicy.requireMayDeploy(caller, connection, ns, ownNamespace);
            AccessPolicy.requireMayUseHost(
                    connection,
                    ns,
                    spec.ingress() == null ? null : spec.ingress().host());
            Deployment d = pending(caller, DeploymentAction.APPLY, connection, ns, spec.name(), null);
            // an early answer for a host another app holds; the intake claims it for good
            Uni<Void> host = spec.ingress() == null
                    ? Uni.createFrom().voidItem()
                    : hosts.requireAvailable(
                            AppRef.of(connection, ns, spec.name()),
                            spec.ingress().host());
            return host.chain(() -> submit(d, spec, idempotencyKey));
        });
    }

    /** Asks to apply an earlier revision of the app again, as a new revision. */
    public Uni<Submitted> rollback(
            Caller caller, String orchestrator, String namespace, String app, Integer revision, String key) {
        checkIdempotencyKey(key);
        if (revision == null || revision < 1) {
            return Uni.createFrom()
                    .failure(new ValidationFailedException(
                            "revision",
                            revision == null ? Rules.REQUIRED : Rules.RANGE,
                            "must be a revision number (1 or more)"));
        }
        return allowedOrchestrator(caller, orchestrator, namespace)
                .flatMap(connection -> submit(
                        pending(caller, DeploymentAction.ROLLBACK, connection, namespace, app, revision), null, key));
    }

    /**
     * Asks to apply the app's newest revision again with only its image changed, as a new revision; what an image
     * watcher or a pipeline that only built a new image sends, without knowing the rest of the spec.
     */
    public Uni<Submitted> updateImage(
            Caller caller, String orchestrator, String namespace, String app, String image, String key) {
        return updateImage(caller, orchestrator, namespace, app, image, key, null);
    }

    /** Asks to apply the app's newest revision again with {@code image}, saying why Windlass asks on its own. */
    public Uni<Submitted> updateImage(
            Caller caller, String orchestrator, String namespace, String app, String image, String key, String reason) {
        checkIdempotencyKey(key);
        if (image == null || image.isBlank()) {
            return Uni.createFrom().failure(new ValidationFailedException("image", Rules.REQUIRED, "is required"));
        }
        // the request event's own rules for the image, under the body's field name
        List<Violation> violations = EventValidator.check(
                        EventType.DEPLOYMENT_REQUESTED,
                        DeploymentRequested.updateImage(
                                UUID.randomUUID(),
                                "probe",
                                "probe",
                                "probe",
                                image,
                                new Actor("probe", null),
                                Instant.now()))
                .stream()
                .filter(v -> v.path().equals("image"))
                .toList();
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ValidationFailedException(violations));
        }
        return allowedOrchestrator(caller, orchestrator, namespace).flatMap(connection -> {
            Deployment d = pending(caller, DeploymentAction.UPDATE_IMAGE, connection, namespace, app, null);
            d.image = image;
            d.reason = reason;
            return submit(d, null, key);
        });
    }

    /** Asks to remove every object of the app. */
    public Uni<Submitted> undeploy(Caller caller, String orchestrator, String namespace, String app, String key) {
        checkIdempotencyKey(key);
        return allowedOrchestrator(caller, orchestrator, namespace)
                .flatMap(connection ->
                        submit(pending(caller, DeploymentAction.DELETE, connection, namespace, app, null), null, key));
    }

    private Uni<ClusterConnection> orchestrator(String orchestrator, boolean inBody) {
        return connections
                .get(orchestrator)
                .onFailure(OrchestratorNotFoundException.class)
                .transform(e -> inBody
                        ? new ValidationFailedException(
                                "orchestrator", IntakeRecorder.UNKNOWN_ORCHESTRATOR, "no orchestrator has this name")
                        : new NotFoundException(e.getMessage()));
    }

    /** The orchestrator of a path, once the caller may change deployments in {@code namespace} on it. */
    private Uni<ClusterConnection> allowedOrchestrator(Caller caller, String orchestrator, String namespace) {
        return orchestrator(orchestrator, false)
                .invoke(connection -> AccessPolicy.requireMayDeploy(caller, connection, namespace, ownNamespace));
    }

    private Uni<Submitted> submit(Deployment d, AppSpec spec, String key) {
        d.idempotencyKey = key;
        d.requestHash = key == null ? null : hash(d, spec);
        return store(d, spec)
                // a concurrent request with the same key won the insert: answer with its deployment
                .onFailure(RequestService::isUniqueViolation)
                .recoverWithUni(() -> store(d, spec));
    }

    /** Stores a PENDING deployment and its request event, or finds the one an Idempotency-Key already made. */
    @WithTransaction
    @WakesOutboxRelay
    public Uni<Submitted> store(Deployment d, AppSpec spec) {
        Uni<Deployment> earlier = d.idempotencyKey == null
                ? Uni.createFrom().nullItem()
                : deployments.findByIdempotencyKey(d.requestedBySubject, d.idempotencyKey);
        return earlier.flatMap(found -> {
            if (found != null) {
                if (!found.requestHash.equals(d.requestHash)) {
                    return Uni.createFrom().failure(new IdempotencyConflictException(d.idempotencyKey));
                }
                return Uni.createFrom().item(new Submitted(found, false));
            }
            // secret values leave in the request event sealed to the deployer's own key, like any producer's
            return precondition(d).chain(() -> sealed(spec)).flatMap(sealedSpec -> {
                // the request's event id is the deployment's id: the sweep finds a PENDING deployment whose request
                // no longer waits in the outbox by it
                var event = EventEnvelope.of(
                        EventType.DEPLOYMENT_REQUESTED,
                        d.id,
                        CloudEventHeaders.SOURCE_DEPLOYER,
                        EventMapper.request(d, sealedSpec));
                d.requestDigest = RequestDigest.of(event.data());
                return deployments.persist(d).chain(() -> outbox.append(event)).replaceWith(new Submitted(d, true));
            });
        });
    }

    private Uni<AppSpec> sealed(AppSpec spec) {
        if (spec == null || spec.secretEnv().isEmpty()) {
            return Uni.createFrom().item(spec);
        }
        return sealing.sealAll(spec.secretEnv()).map(values -> spec.withSecretEnv(values));
    }

    private Uni<Void> precondition(Deployment d) {
        if (d.action == DeploymentAction.ROLLBACK) {
            return revisions
                    .findNumber(AppRef.of(d), d.targetRevision)
                    .onItem()
                    .ifNull()
                    .failWith(() -> new NotFoundException("app " + d.namespace + "/" + d.app + " on " + d.orchestrator
                            + " has no revision " + d.targetRevision))
                    .replaceWithVoid();
        }
        if (d.action == DeploymentAction.UPDATE_IMAGE) {
            // an early answer; the intake decides for good, in order with the app's other requests
            return deployments
                    .latestOfApp(AppRef.of(d))
                    .invoke(latest -> {
                        if (latest == null) {
                            throw new NotFoundException(
                                    "app " + d.namespace + "/" + d.app + " was never deployed on " + d.orchestrator);
                        }
                        if (latest.action == DeploymentAction.DELETE) {
                            throw new NotFoundException("app " + d.namespace + "/" + d.app + " was undeployed from "
                                    + d.orchestrator + "; deploy it again to update its image");
                        }
                    })
                    .replaceWithVoid();
        }
        if (d.action == DeploymentAction.DELETE) {
            return deployments
                    .countForApp(AppRef.of(d))
                    .invoke(count -> {
                        if (count == 0) {
                            throw new NotFoundException(
                                    "app " + d.namespace + "/" + d.app + " was never deployed on " + d.orchestrator);
                        }
                    })
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private static List<Violation> requestViolations(String orchestrator, String namespace, AppSpec spec) {
        if (spec == null) {
            return List.of(new Violation("spec", Rules.REQUIRED, "is required"));
        }
        // the request event's own rules, under the body's field names; fields the server sets are left out
        DeploymentRequested probe = new DeploymentRequested(
                UUID.randomUUID(),
                DeploymentAction.APPLY,
                orchestrator,
                namespace != null ? namespace : "default",
                spec.name(),
                spec,
                null,
                null,
                new Actor("probe", null),
                Instant.now());
        List<Violation> violations =
                new java.util.ArrayList<>(EventValidator.check(EventType.DEPLOYMENT_REQUESTED, probe).stream()
                        .filter(v -> !SERVER_SET_FIELDS.contains(v.path()))
                        .toList());
        // the event allows room for the sealed value; what is sealed is at most as long as a plain value
        spec.secretEnv().forEach((name, value) -> {
            if (value != null && value.length() > SpecLimits.MAX_ENV_VALUE_LENGTH) {
                violations.add(new Violation(
                        "spec.secretEnv." + name,
                        Rules.MAX_LENGTH,
                        "must be at most " + SpecLimits.MAX_ENV_VALUE_LENGTH + " characters"));
            }
        });
        return violations;
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw new ValidationFailedException(
                    "Idempotency-Key",
                    key.isBlank() ? Rules.REQUIRED : Rules.MAX_LENGTH,
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
        }
    }

    private static Deployment pending(
            Caller caller,
            DeploymentAction action,
            ClusterConnection orchestrator,
            String namespace,
            String app,
            Integer target) {
        Instant now = Instant.now();
        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.action = action;
        d.orchestrator = orchestrator.name();
        d.orchestratorId = orchestrator.id();
        d.namespace = namespace;
        d.app = app;
        d.targetRevision = target;
        d.phase = DeploymentState.PENDING;
        d.message = "waiting to be accepted";
        d.requestedBySubject = caller.subject();
        d.requestedByUsername = caller.username();
        d.requestedAt = now;
        d.updatedAt = now;
        return d;
    }

    private static String hash(Deployment d, AppSpec spec) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("action", d.action);
        canonical.put("orchestrator", d.orchestratorId);
        canonical.put("namespace", d.namespace);
        canonical.put("app", d.app);
        canonical.put("targetRevision", d.targetRevision);
        if (d.image != null) {
            // only where there is one, so that the hash of every other request stays what it was
            canonical.put("image", d.image);
        }
        canonical.put("spec", spec);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
