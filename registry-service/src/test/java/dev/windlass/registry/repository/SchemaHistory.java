package dev.windlass.registry.repository;

import dev.windlass.registry.support.Database;
import io.quarkus.arc.Arc;
import io.quarkus.flyway.runtime.FlywayContainerProducer;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the schema tests look at: Flyway's history table, and whether the service created Flyway at all. */
final class SchemaHistory {

    private SchemaHistory() {}

    /** The versions recorded as applied successfully, in the order they were applied. */
    static List<String> appliedVersions() {
        try (Connection c = Database.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version from flyway_schema_history"
                        + " where version is not null and success order by installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the service ever created its Flyway factory (it does so only to migrate). */
    static boolean flywayCreated() {
        return Arc.container().getActiveContext(Singleton.class).getState().getContextualInstances().keySet().stream()
                .anyMatch(bean -> bean.getBeanClass().equals(FlywayContainerProducer.class));
    }
}
