package dev.windlass.registry.repository;

import dev.windlass.common.sql.Sql;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.domain.SealedValue;
import dev.windlass.registry.service.OrchestratorFilter;
import dev.windlass.registry.service.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Orchestrator rows, on plain statements of the reactive PostgreSQL client (prepared and cached by the pool). Each
 * method runs on the client it is given: the pool for a read on its own, a transaction's connection otherwise.
 */
@ApplicationScoped
public class OrchestratorRepository {

    /** The configuration's columns, which a versioned update writes; bound by {@link #configuration}. */
    private static final List<String> CONFIGURATION = List.of(
            "name",
            "description",
            "environment",
            "type",
            "api_server_url",
            "auth_type",
            "token_key_id",
            "token_ciphertext",
            "client_cert_key_id",
            "client_cert_ciphertext",
            "client_key_key_id",
            "client_key_ciphertext",
            "ca_cert_key_id",
            "ca_cert_ciphertext",
            "skip_tls_verify",
            "metallb_ip_range",
            "authentik_outpost_url",
            "default_namespace",
            "allowed_groups",
            "destinations",
            "updated_at");

    /** A row's connection check, written apart from the configuration. */
    private static final List<String> CONNECTION = List.of(
            "connection_status",
            "connection_message",
            "server_version",
            "latency_millis",
            "checked_at",
            "credentials_expire_at",
            "connection_warnings");

    private static final String INSERT;
    private static final String UPDATE;

    static {
        List<String> columns = new ArrayList<>(List.of("id", "version", "created_at"));
        columns.addAll(CONFIGURATION);
        columns.addAll(CONNECTION);
        INSERT = "insert into orchestrator (" + String.join(", ", columns) + ") values ("
                + placeholders(1, columns.size()) + ")";
        UPDATE = "update orchestrator set " + assignments(CONFIGURATION, 1) + ", version = version + 1 where id = $"
                + (CONFIGURATION.size() + 1) + " and version = $" + (CONFIGURATION.size() + 2) + " returning version";
    }

    public Uni<Orchestrator> findById(SqlClient client, UUID id) {
        return one(
                client.preparedQuery("select * from orchestrator where id = $1").execute(Tuple.of(id)));
    }

    public Uni<Orchestrator> findByName(SqlClient client, String name) {
        return one(client.preparedQuery("select * from orchestrator where name = $1")
                .execute(Tuple.of(name)));
    }

    public Uni<Boolean> nameTaken(SqlClient client, String name, UUID exceptId) {
        return client.preparedQuery(
                        "select exists (select 1 from orchestrator where name = $1 and id is distinct from $2)")
                .execute(Tuple.of(name, exceptId))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** One page of the filtered orchestrators, sorted by name, and how many match in all. */
    public Uni<List<Orchestrator>> search(SqlClient client, OrchestratorFilter filter, PageRequest page) {
        Where where = where(filter);
        int n = where.values.size();
        Tuple values = Tuple.from(where.values).addInteger(page.size()).addLong((long) page.page() * page.size());
        return client.preparedQuery("select * from orchestrator" + where.sql + " order by name limit $" + (n + 1)
                        + " offset $" + (n + 2))
                .execute(values)
                .map(OrchestratorRepository::all);
    }

    public Uni<Long> count(SqlClient client, OrchestratorFilter filter) {
        Where where = where(filter);
        return client.preparedQuery("select count(*) from orchestrator" + where.sql)
                .execute(Tuple.from(where.values))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> insert(SqlClient client, Orchestrator o) {
        List<Object> values = new ArrayList<>(List.of(o.getId(), o.getVersion(), Sql.timestamp(o.getCreatedAt())));
        values.addAll(configuration(o));
        values.addAll(connection(o.getConnection()));
        return client.preparedQuery(INSERT).execute(Tuple.from(values)).replaceWithVoid();
    }

    /**
     * Writes the configuration of {@code o} over the row of the version it was read as, and takes the new version into
     * {@code o}; false when the row has another version by now (or is gone).
     */
    public Uni<Boolean> update(SqlClient client, Orchestrator o) {
        List<Object> values = configuration(o);
        values.add(o.getId());
        values.add(o.getVersion());
        return client.preparedQuery(UPDATE).execute(Tuple.from(values)).map(rows -> {
            if (rows.rowCount() == 0) {
                return false;
            }
            o.stored(rows.iterator().next().getLong(0));
            return true;
        });
    }

    /** Writes who asked to delete {@code o} and why that stopped, as a new version; false when it is stale. */
    public Uni<Boolean> updateDeletion(SqlClient client, Orchestrator o) {
        return client.preparedQuery("update orchestrator set deletion_requested_at = $1, deletion_requested_by = $2,"
                        + " deletion_requested_by_name = $3, deletion_stopped = $4, version = version + 1"
                        + " where id = $5 and version = $6 returning version")
                .execute(Tuple.from(Arrays.asList(
                        Sql.timestamp(o.getDeletionRequestedAt()),
                        o.deletionRequestedBySubject(),
                        o.deletionRequestedByName(),
                        o.getDeletionStopped(),
                        o.getId(),
                        o.getVersion())))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return false;
                    }
                    o.stored(rows.iterator().next().getLong(0));
                    return true;
                });
    }

    /** Deletes the row of the version {@code o} was read as; false when it has another version by now (or is gone). */
    public Uni<Boolean> delete(SqlClient client, Orchestrator o) {
        return client.preparedQuery("delete from orchestrator where id = $1 and version = $2")
                .execute(Tuple.of(o.getId(), o.getVersion()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Stores a connection check without touching the version, unless the configuration changed meanwhile. */
    public Uni<Integer> updateConnection(SqlClient client, UUID id, long version, ConnectionCheck check) {
        List<Object> values = connection(check);
        values.add(id);
        values.add(version);
        return client.preparedQuery("update orchestrator set " + assignments(CONNECTION, 1) + " where id = $"
                        + (CONNECTION.size() + 1) + " and version = $" + (CONNECTION.size() + 2))
                .execute(Tuple.from(values))
                .map(RowSet::rowCount);
    }

    /** Every orchestrator id, by name. */
    public Uni<List<UUID>> allIds(SqlClient client) {
        return client.preparedQuery("select id from orchestrator order by name")
                .execute()
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /** The orchestrators whose deletion waits for their apps to be undeployed (not stopped), by name. */
    public Uni<List<Orchestrator>> deletionsUnderWay(SqlClient client) {
        return client.preparedQuery("select * from orchestrator where deletion_requested_at is not null"
                        + " and deletion_stopped is null order by name")
                .execute()
                .map(OrchestratorRepository::all);
    }

    /**
     * Orchestrators with at least one credential sealed by another key than {@code activeKeyId}, locked until the
     * transaction ends, leaving out {@code skip}.
     */
    public Uni<List<Orchestrator>> lockSealedByOtherKeys(
            SqlClient client, String activeKeyId, Collection<UUID> skip, int limit) {
        return client.preparedQuery("select * from orchestrator where (token_key_id <> $1 or client_cert_key_id <> $1"
                        + " or client_key_key_id <> $1 or ca_cert_key_id <> $1) and not (id = any($2))"
                        + " order by id limit $3 for update")
                .execute(Tuple.of(activeKeyId, skip.toArray(UUID[]::new), limit))
                .map(OrchestratorRepository::all);
    }

    /** Replaces one sealed credential without touching the version: the plaintext stays the same. */
    public Uni<Integer> reseal(SqlClient client, UUID id, CredentialField field, SealedValue value) {
        return client.preparedQuery("update orchestrator set " + field.column() + "_key_id = $1, " + field.column()
                        + "_ciphertext = $2 where id = $3")
                .execute(Tuple.of(value.keyId(), Buffer.buffer(value.ciphertext()), id))
                .map(RowSet::rowCount);
    }

    private static List<Object> configuration(Orchestrator o) {
        List<Object> values = new ArrayList<>(Arrays.asList(
                o.getName(),
                o.getDescription(),
                o.getEnvironment().name(),
                o.getType().name(),
                o.getApiServerUrl(),
                o.getAuthType().name()));
        for (CredentialField field : CredentialField.values()) {
            SealedValue sealed = o.sealedValue(field);
            values.add(sealed == null ? null : sealed.keyId());
            values.add(sealed == null ? null : Buffer.buffer(sealed.ciphertext()));
        }
        values.addAll(Arrays.asList(
                o.isSkipTlsVerify(),
                o.getMetalLbIpRange(),
                o.getAuthentikOutpostUrl(),
                o.getDefaultNamespace(),
                o.getAllowedGroups().toArray(String[]::new),
                o.destinationsJson(),
                Sql.timestamp(o.getUpdatedAt())));
        return values;
    }

    private static List<Object> connection(ConnectionCheck check) {
        return new ArrayList<>(Arrays.asList(
                check.status().name(),
                check.message(),
                check.serverVersion(),
                check.latencyMillis(),
                Sql.timestamp(check.checkedAt()),
                Sql.timestamp(check.credentialsExpireAt()),
                check.warningsText()));
    }

    /** The filter's conditions as SQL (empty, or starting with " where") and their values, bound from $1. */
    private record Where(String sql, List<Object> values) {}

    private static Where where(OrchestratorFilter filter) {
        List<String> clauses = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (filter.type() != null) {
            values.add(filter.type().name());
            clauses.add("type = $" + values.size());
        }
        if (filter.environment() != null) {
            values.add(filter.environment().name());
            clauses.add("environment = $" + values.size());
        }
        if (filter.status() != null) {
            values.add(filter.status().name());
            clauses.add("connection_status = $" + values.size());
        }
        if (filter.nameContains() != null && !filter.nameContains().isBlank()) {
            values.add("%" + escapeLike(filter.nameContains().strip().toLowerCase(Locale.ROOT)) + "%");
            clauses.add("lower(name) like $" + values.size() + " escape '\\'");
        }
        if (filter.visibleTo() != null) {
            // Destinations.visible, asked of the database: the allowed groups are the destinations' groups
            values.add(filter.visibleTo().toArray(String[]::new));
            clauses.add("allowed_groups && $" + values.size());
        }
        return new Where(clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses), values);
    }

    private static Uni<Orchestrator> one(Uni<RowSet<Row>> rows) {
        return rows.map(set -> {
            var it = set.iterator();
            return it.hasNext() ? Orchestrator.fromRow(it.next()) : null;
        });
    }

    private static List<Orchestrator> all(RowSet<Row> rows) {
        List<Orchestrator> result = new ArrayList<>(rows.size());
        rows.forEach(row -> result.add(Orchestrator.fromRow(row)));
        return result;
    }

    private static String assignments(List<String> columns, int first) {
        List<String> set = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            set.add(columns.get(i) + " = $" + (first + i));
        }
        return String.join(", ", set);
    }

    private static String placeholders(int first, int count) {
        List<String> marks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            marks.add("$" + (first + i));
        }
        return String.join(", ", marks);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
