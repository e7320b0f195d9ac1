package dev.windlass.registry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Plain JDBC to the service's database, to see what is really stored. */
public final class Database {

    private Database() {}

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** One orchestrator row, column name to value (bytea as byte[]). */
    public static Map<String, Object> orchestratorRow(String id) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("select * from orchestrator where id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Map.of();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one update statement with parameters. */
    public static int update(String sql, Object... params) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The details of the orchestrator's audit entries with this action, oldest first. */
    public static java.util.List<String> auditDetails(String id, String action) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("select details from audit_entry where orchestrator_id = ?"
                        + " and action = ? order by occurred_at")) {
            s.setObject(1, UUID.fromString(id));
            s.setString(2, action);
            java.util.List<String> details = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    details.add(rs.getString(1));
                }
            }
            return details;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
