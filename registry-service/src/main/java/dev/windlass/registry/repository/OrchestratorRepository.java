package dev.windlass.registry.repository;

import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.domain.SealedValue;
import dev.windlass.registry.service.OrchestratorFilter;
import dev.windlass.registry.service.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Orchestrator rows. */
@ApplicationScoped
public class OrchestratorRepository implements PanacheRepositoryBase<Orchestrator, UUID> {

    public Uni<Orchestrator> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<Boolean> nameTaken(String name, UUID exceptId) {
        return exceptId == null
                ? count("name", name).map(n -> n > 0)
                : count("name = ?1 and id <> ?2", name, exceptId).map(n -> n > 0);
    }

    /** The filtered query, sorted by name. */
    public PanacheQuery<Orchestrator> search(OrchestratorFilter filter, PageRequest page) {
        List<String> clauses = new ArrayList<>();
        Parameters params = new Parameters();
        if (filter.type() != null) {
            clauses.add("type = :type");
            params.and("type", filter.type());
        }
        if (filter.environment() != null) {
            clauses.add("environment = :environment");
            params.and("environment", filter.environment());
        }
        if (filter.status() != null) {
            clauses.add("connection.status = :status");
            params.and("status", filter.status());
        }
        if (filter.nameContains() != null && !filter.nameContains().isBlank()) {
            clauses.add("lower(name) like :pattern escape '\\'");
            params.and("pattern", "%" + escapeLike(filter.nameContains().strip().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.visibleTo() != null) {
            // Destinations.visible, asked of the database: the allowed groups are the destinations' groups
            clauses.add("array_intersects(allowedGroups, :groups)");
            params.and("groups", filter.visibleTo().toArray(String[]::new));
        }
        String where = String.join(" and ", clauses);
        return (where.isEmpty() ? findAll(Sort.by("name")) : find(where, Sort.by("name"), params))
                .page(page.page(), page.size());
    }

    /** Stores a connection check without touching the version, unless the configuration changed meanwhile. */
    public Uni<Integer> updateConnection(UUID id, long version, ConnectionCheck check) {
        return update(
                "connection.status = :status, connection.message = :message, connection.serverVersion = :serverVersion,"
                        + " connection.latencyMillis = :latency, connection.checkedAt = :checkedAt,"
                        + " connection.credentialsExpireAt = :expireAt, connection.warnings = :warnings"
                        + " where id = :id and version = :version",
                Parameters.with("status", check.status())
                        .and("message", check.message())
                        .and("serverVersion", check.serverVersion())
                        .and("latency", check.latencyMillis())
                        .and("checkedAt", check.checkedAt())
                        .and("expireAt", check.credentialsExpireAt())
                        .and("warnings", check.warnings().isEmpty() ? null : String.join("\n", check.warnings()))
                        .and("id", id)
                        .and("version", version));
    }

    /** Every orchestrator id, by name. */
    public Uni<List<UUID>> allIds() {
        return find("select id from Orchestrator order by name")
                .project(UUID.class)
                .list();
    }

    /**
     * Orchestrators with at least one credential sealed by another key than {@code activeKeyId}, locked until the
     * transaction ends, leaving out {@code skip}.
     */
    public Uni<List<Orchestrator>> lockSealedByOtherKeys(String activeKeyId, Collection<UUID> skip, int limit) {
        String other = "(token.keyId <> :active or clientCertificate.keyId <> :active or clientKey.keyId <> :active"
                + " or caCertificate.keyId <> :active)";
        Parameters params = Parameters.with("active", activeKeyId);
        if (!skip.isEmpty()) {
            other += " and id not in :skip";
            params.and("skip", skip);
        }
        return find(other + " order by id", params)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, limit)
                .list();
    }

    /** Replaces one sealed credential without touching the version: the plaintext stays the same. */
    public Uni<Integer> reseal(UUID id, CredentialField field, SealedValue value) {
        String property = switch (field) {
            case TOKEN -> "token";
            case CLIENT_CERTIFICATE -> "clientCertificate";
            case CLIENT_KEY -> "clientKey";
            case CA_CERTIFICATE -> "caCertificate";
        };
        return update(
                property + ".keyId = :keyId, " + property + ".ciphertext = :ciphertext where id = :id",
                Parameters.with("keyId", value.keyId())
                        .and("ciphertext", value.ciphertext())
                        .and("id", id));
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
