package dev.windlass.registry.repository;

import dev.windlass.common.sql.Sql;
import dev.windlass.registry.domain.AuditEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Audit trail rows, on plain statements of the reactive PostgreSQL client. */
@ApplicationScoped
public class AuditRepository {

    public Uni<Void> insert(SqlClient client, AuditEntry entry) {
        return client.preparedQuery("insert into audit_entry (id, orchestrator_id, orchestrator_name, action, subject,"
                        + " username, occurred_at, details) values ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.from(Arrays.asList(
                        entry.getId(),
                        entry.getOrchestratorId(),
                        entry.getOrchestratorName(),
                        entry.getAction().name(),
                        entry.getSubject(),
                        entry.getUsername(),
                        Sql.timestamp(entry.getOccurredAt()),
                        entry.getDetails())))
                .replaceWithVoid();
    }

    /** One page of the entries of one orchestrator, newest first. */
    public Uni<List<AuditEntry>> forOrchestrator(SqlClient client, UUID orchestratorId, int page, int size) {
        return client.preparedQuery("select * from audit_entry where orchestrator_id = $1"
                        + " order by occurred_at desc, id limit $2 offset $3")
                .execute(Tuple.of(orchestratorId, size, (long) page * size))
                .map(rows -> {
                    List<AuditEntry> entries = new ArrayList<>(rows.size());
                    rows.forEach(row -> entries.add(AuditEntry.fromRow(row)));
                    return entries;
                });
    }

    /** How many entries one orchestrator has. */
    public Uni<Long> countForOrchestrator(SqlClient client, UUID orchestratorId) {
        return client.preparedQuery("select count(*) from audit_entry where orchestrator_id = $1")
                .execute(Tuple.of(orchestratorId))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
