package dev.windlass.registry.service;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.AuditAction;
import dev.windlass.registry.domain.AuditEntry;
import dev.windlass.registry.domain.ConnectionMaterial;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.domain.SealedValue;
import dev.windlass.registry.messaging.OrchestratorEvents;
import dev.windlass.registry.repository.AuditRepository;
import dev.windlass.registry.repository.OrchestratorRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Registering, changing and removing orchestrators; every change is audited and announced through the outbox, in one
 * transaction of the reactive PostgreSQL client.
 */
@ApplicationScoped
public class OrchestratorService {

    static final String NAME_CONSTRAINT = "orchestrator_name_unique";

    private final OrchestratorRepository orchestrators;
    private final AuditRepository auditEntries;
    private final OrchestratorValidator validator;
    private final CredentialCipher cipher;
    private final AuditTrail audit;
    private final OrchestratorEvents events;
    private final Pool pool;

    public OrchestratorService(
            OrchestratorRepository orchestrators,
            AuditRepository auditEntries,
            OrchestratorValidator validator,
            CredentialCipher cipher,
            AuditTrail audit,
            OrchestratorEvents events,
            Pool pool) {
        this.orchestrators = orchestrators;
        this.auditEntries = auditEntries;
        this.validator = validator;
        this.cipher = cipher;
        this.audit = audit;
        this.events = events;
        this.pool = pool;
    }

    public Uni<Page<Orchestrator>> list(OrchestratorFilter filter, PageRequest page) {
        return orchestrators
                .search(pool, filter, page)
                .chain(items -> orchestrators
                        .count(pool, filter)
                        .map(total -> new Page<>(items, page.page(), page.size(), total)));
    }

    public Uni<Orchestrator> get(UUID id) {
        return require(pool, id);
    }

    public Uni<Orchestrator> create(OrchestratorInput input, Actor actor) {
        Map<CredentialField, String> given = given(input);
        return Uni.createFrom()
                .item(() -> validator.validate(input, given, given.keySet()))
                .chain(valid -> pool.withTransaction(tx -> orchestrators
                        .nameTaken(tx, valid.name(), null)
                        .chain(taken -> {
                            if (taken) {
                                return Uni.createFrom().failure(new DuplicateNameException(valid.name()));
                            }
                            Orchestrator o = Orchestrator.create(Instant.now());
                            apply(valid, o);
                            valid.credentials()
                                    .forEach((field, value) -> o.seal(field, cipher.seal(o.getId(), field, value)));
                            return orchestrators
                                    .insert(tx, o)
                                    .call(() -> audit.record(
                                            tx, o.getId(), o.getName(), AuditAction.CREATED, actor, describeCreated(o)))
                                    .call(() -> events.created(tx, o, actor))
                                    .replaceWith(o);
                        })))
                .onFailure(f -> Failures.isUniqueViolation(f, NAME_CONSTRAINT))
                .transform(f -> new DuplicateNameException(input.name()));
    }

    /**
     * Replaces the configuration; credentials left null keep their stored value, empty strings clear them.
     *
     * @param expectedVersion the version the client read ({@code If-Match})
     */
    public Uni<Orchestrator> update(UUID id, long expectedVersion, OrchestratorInput input, Actor actor) {
        return pool.withTransaction(tx -> require(tx, id).chain(o -> {
                    if (o.getVersion() != expectedVersion) {
                        return Uni.createFrom().failure(new VersionMismatchException(expectedVersion, o.getVersion()));
                    }
                    Map<CredentialField, String> stored = open(o);
                    Map<CredentialField, String> given = given(input);
                    Map<CredentialField, String> effective = new EnumMap<>(stored);
                    for (CredentialField field : CredentialField.values()) {
                        String value = credential(input, field);
                        if (value != null) {
                            effective.put(field, value); // "" clears
                        }
                    }
                    ValidOrchestrator valid = validator.validate(input, effective, given.keySet());
                    List<Violation> kept = credentialsKeptAcrossAMove(o, valid, stored, given);
                    if (!kept.isEmpty()) {
                        return Uni.createFrom().failure(new ValidationFailedException(kept));
                    }
                    return orchestrators.nameTaken(tx, valid.name(), id).chain(taken -> {
                        if (taken) {
                            return Uni.createFrom().failure(new DuplicateNameException(valid.name()));
                        }
                        List<String> formerGroups = o.getAllowedGroups();
                        List<String> changes = applyChanges(valid, stored, o);
                        if (changes.isEmpty()) {
                            return Uni.createFrom().item(o);
                        }
                        o.setUpdatedAt(Instant.now());
                        return orchestrators
                                .update(tx, o)
                                .chain(written -> written
                                        ? audit.record(
                                                tx,
                                                o.getId(),
                                                o.getName(),
                                                AuditAction.UPDATED,
                                                actor,
                                                "changed " + String.join(", ", changes))
                                        : Uni.createFrom().failure(new VersionMismatchException()))
                                .call(() -> events.updated(tx, o, actor, formerGroups))
                                .replaceWith(o);
                    });
                }))
                .onFailure(f -> Failures.isUniqueViolation(f, NAME_CONSTRAINT))
                .transform(f -> new DuplicateNameException(input.name()));
    }

    /**
     * Removes an orchestrator; its audit trail stays.
     *
     * @param expectedVersion the version the client read ({@code If-Match}), or null to delete whatever is stored
     */
    public Uni<Void> delete(UUID id, Long expectedVersion, Actor actor) {
        return delete(id, expectedVersion, actor, null);
    }

    /** {@link #delete(UUID, Long, Actor)}, with {@code details} for the audit entry (what became of its apps). */
    public Uni<Void> delete(UUID id, Long expectedVersion, Actor actor, String details) {
        return pool.withTransaction(tx -> require(tx, id).chain(o -> {
            if (expectedVersion != null && o.getVersion() != expectedVersion) {
                return Uni.createFrom().failure(new VersionMismatchException(expectedVersion, o.getVersion()));
            }
            return orchestrators
                    .delete(tx, o)
                    .chain(deleted -> deleted
                            ? audit.record(tx, o.getId(), o.getName(), AuditAction.DELETED, actor, details)
                            : Uni.createFrom().failure(new VersionMismatchException()))
                    .call(() -> events.deleted(tx, o, actor));
        }));
    }

    /** Records that {@code actor} asked to delete the orchestrator once its apps (listed in the audit) are gone. */
    public Uni<Orchestrator> requestDeletion(UUID id, Long expectedVersion, Actor actor, String details) {
        return pool.withTransaction(tx -> require(tx, id).chain(o -> {
            if (expectedVersion != null && o.getVersion() != expectedVersion) {
                return Uni.createFrom().failure(new VersionMismatchException(expectedVersion, o.getVersion()));
            }
            o.requestDeletion(actor, Instant.now());
            return updateDeletion(tx, o)
                    .call(() ->
                            audit.record(tx, o.getId(), o.getName(), AuditAction.DELETION_REQUESTED, actor, details))
                    .replaceWith(o);
        }));
    }

    /** Records why the deletion under way stopped; the orchestrator stays. */
    public Uni<Void> stopDeletion(UUID id, String reason) {
        return pool.withTransaction(tx -> require(tx, id).chain(o -> {
            o.stopDeletion(reason);
            return updateDeletion(tx, o)
                    .call(() -> audit.record(
                            tx, o.getId(), o.getName(), AuditAction.DELETION_STOPPED, Actor.SYSTEM, reason));
        }));
    }

    /** The orchestrators whose deletion waits for their apps to be undeployed (not stopped), by name. */
    public Uni<List<Orchestrator>> deletionsUnderWay() {
        return orchestrators.deletionsUnderWay(pool);
    }

    /** Writes the deletion's state of {@code o} as a new version, which is what a client must send next. */
    private Uni<Void> updateDeletion(SqlClient tx, Orchestrator o) {
        return orchestrators
                .updateDeletion(tx, o)
                .chain(stored -> stored
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new VersionMismatchException()));
    }

    /**
     * One page of an orchestrator's audit trail, newest first; also of a deleted one, whose trail stays (what became of
     * its apps is in its last entry). Not found when no orchestrator ever had this id.
     */
    public Uni<Page<AuditEntry>> audit(UUID id, PageRequest page) {
        return auditEntries
                .countForOrchestrator(pool, id)
                .chain(total -> total == 0
                        ? require(pool, id).replaceWith(new Page<AuditEntry>(List.of(), page.page(), page.size(), 0))
                        : auditEntries
                                .forOrchestrator(pool, id, page.page(), page.size())
                                .map(items -> new Page<>(items, page.page(), page.size(), total)));
    }

    /** The decrypted connection material of the orchestrator with this name. */
    public Uni<ConnectionMaterial> materialByName(String name) {
        return orchestrators
                .findByName(pool, name)
                .onItem()
                .ifNull()
                .failWith(() -> new OrchestratorNotFoundException(name))
                .map(this::material);
    }

    /** The decrypted connection material of the orchestrator with this id. */
    public Uni<ConnectionMaterial> material(UUID id) {
        return require(pool, id).map(this::material);
    }

    private ConnectionMaterial material(Orchestrator o) {
        Map<CredentialField, String> plain = open(o);
        return new ConnectionMaterial(
                o.getId(),
                o.getName(),
                o.getType(),
                o.getEnvironment(),
                o.getApiServerUrl(),
                o.getAuthType(),
                plain.get(CredentialField.TOKEN),
                plain.get(CredentialField.CLIENT_CERTIFICATE),
                plain.get(CredentialField.CLIENT_KEY),
                plain.get(CredentialField.CA_CERTIFICATE),
                o.isSkipTlsVerify(),
                o.getMetalLbIpRange(),
                o.getDefaultNamespace(),
                o.getAllowedGroups(),
                o.getVersion(),
                o.getDestinations(),
                o.getAuthentikOutpostUrl());
    }

    private Uni<Orchestrator> require(SqlClient client, UUID id) {
        return orchestrators
                .findById(client, id)
                .onItem()
                .ifNull()
                .failWith(() -> new OrchestratorNotFoundException(id));
    }

    private Map<CredentialField, String> open(Orchestrator o) {
        Map<CredentialField, String> plain = new EnumMap<>(CredentialField.class);
        o.sealedCredentials().forEach((field, value) -> plain.put(field, cipher.open(o.getId(), field, value)));
        return plain;
    }

    private static void apply(ValidOrchestrator valid, Orchestrator o) {
        o.setName(valid.name());
        o.setDescription(valid.description());
        o.setEnvironment(valid.environment());
        o.setType(valid.type());
        o.setApiServerUrl(valid.apiServerUrl());
        o.setAuthType(valid.authType());
        o.setSkipTlsVerify(valid.skipTlsVerify());
        o.setMetalLbIpRange(valid.metalLbIpRange());
        o.setAuthentikOutpostUrl(valid.authentikOutpostUrl());
        o.setDefaultNamespace(valid.defaultNamespace());
        o.setAllowedGroups(valid.allowedGroups());
        o.setDestinations(valid.destinations());
    }

    /**
     * Stored credentials go only to the address they were stored with. An update that points the orchestrator
     * elsewhere (another {@code apiServerUrl}, another CA, skip-TLS turned on, another environment) must send the
     * credentials of its auth type again; otherwise one admin session could move every write-only credential to a
     * host of its choosing and let the periodic connection check deliver it. Empty: the update may keep them.
     */
    static List<Violation> credentialsKeptAcrossAMove(
            Orchestrator o,
            ValidOrchestrator valid,
            Map<CredentialField, String> stored,
            Map<CredentialField, String> given) {
        List<String> moved = new ArrayList<>();
        if (!Objects.equals(o.getApiServerUrl(), valid.apiServerUrl())) {
            moved.add("apiServerUrl");
        }
        if (!Objects.equals(
                stored.get(CredentialField.CA_CERTIFICATE), valid.credentials().get(CredentialField.CA_CERTIFICATE))) {
            moved.add("caCertificatePem");
        }
        if (!o.isSkipTlsVerify() && valid.skipTlsVerify()) {
            moved.add("skipTlsVerify");
        }
        if (!Objects.equals(o.getEnvironment(), valid.environment())) {
            moved.add("environment");
        }
        if (moved.isEmpty()) {
            return List.of();
        }
        List<CredentialField> needed = switch (valid.authType()) {
            case TOKEN -> List.of(CredentialField.TOKEN);
            case CERTIFICATE -> List.of(CredentialField.CLIENT_CERTIFICATE, CredentialField.CLIENT_KEY);
            default -> List.of();
        };
        List<Violation> violations = new ArrayList<>();
        for (CredentialField field : needed) {
            if (stored.get(field) != null && !given.containsKey(field)) {
                violations.add(new Violation(
                        field.fieldName(),
                        "required",
                        field.fieldName() + " must be sent again when " + String.join(", ", moved)
                                + " changes: stored credentials go only to the cluster they were stored for"));
            }
        }
        return violations;
    }

    /** Applies a validated configuration; returns the names of what changed (never a value of a credential). */
    private List<String> applyChanges(ValidOrchestrator valid, Map<CredentialField, String> stored, Orchestrator o) {
        List<String> changes = new ArrayList<>();
        diff(changes, "name", o.getName(), valid.name());
        diff(changes, "description", o.getDescription(), valid.description());
        diff(changes, "environment", o.getEnvironment(), valid.environment());
        diff(changes, "type", o.getType(), valid.type());
        diff(changes, "apiServerUrl", o.getApiServerUrl(), valid.apiServerUrl());
        diff(changes, "authType", o.getAuthType(), valid.authType());
        diff(changes, "skipTlsVerify", o.isSkipTlsVerify(), valid.skipTlsVerify());
        diff(changes, "metalLbIpRange", o.getMetalLbIpRange(), valid.metalLbIpRange());
        diff(changes, "authentikOutpostUrl", o.getAuthentikOutpostUrl(), valid.authentikOutpostUrl());
        diff(changes, "defaultNamespace", o.getDefaultNamespace(), valid.defaultNamespace());
        diff(changes, "allowedGroups", o.getAllowedGroups(), valid.allowedGroups());
        diff(changes, "destinations", o.getDestinations(), valid.destinations());
        apply(valid, o);
        for (CredentialField field : CredentialField.values()) {
            String before = stored.get(field);
            String after = valid.credentials().get(field);
            if (Objects.equals(before, after)) {
                continue;
            }
            SealedValue value = after == null ? null : cipher.seal(o.getId(), field, after);
            o.seal(field, value);
            changes.add(field.fieldName() + (after == null ? " (cleared)" : before == null ? " (set)" : " (replaced)"));
        }
        return changes;
    }

    private static void diff(List<String> changes, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(field);
        }
    }

    private static String describeCreated(Orchestrator o) {
        Set<CredentialField> set = o.sealedCredentials().isEmpty()
                ? EnumSet.noneOf(CredentialField.class)
                : EnumSet.copyOf(o.sealedCredentials().keySet());
        return "type " + o.getType() + ", environment " + o.getEnvironment().value() + ", authType " + o.getAuthType()
                + (set.isEmpty()
                        ? ""
                        : ", credentials set: "
                                + String.join(
                                        ", ",
                                        set.stream()
                                                .map(CredentialField::fieldName)
                                                .toList()));
    }

    /** The credentials a request sets to a non-empty value. */
    private static Map<CredentialField, String> given(OrchestratorInput input) {
        Map<CredentialField, String> given = new EnumMap<>(CredentialField.class);
        for (CredentialField field : CredentialField.values()) {
            String value = credential(input, field);
            if (value != null && !value.isEmpty()) {
                given.put(field, value);
            }
        }
        return given;
    }

    private static String credential(OrchestratorInput input, CredentialField field) {
        return switch (field) {
            case TOKEN -> input.token();
            case CLIENT_CERTIFICATE -> input.clientCertificatePem();
            case CLIENT_KEY -> input.clientKeyPem();
            case CA_CERTIFICATE -> input.caCertificatePem();
        };
    }
}
