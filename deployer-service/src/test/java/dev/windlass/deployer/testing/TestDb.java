package dev.windlass.deployer.testing;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Plain SQL on the deployer's database, to check what was stored exactly as stored. */
public final class TestDb {

    private TestDb() {}

    /** The values of the first column of every row of {@code sql}, as text. */
    public static List<String> column(String sql, Object... params) {
        AgroalDataSource dataSource =
                Arc.container().instance(AgroalDataSource.class).get();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement that changes rows; the number changed. */
    public static int update(String sql, Object... params) {
        AgroalDataSource dataSource =
                Arc.container().instance(AgroalDataSource.class).get();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The phases recorded for a deployment, in order. */
    public static List<String> phases(java.util.UUID deploymentId) {
        return column("select phase from deployment_phases where deployment_id = ? order by id", deploymentId);
    }

    public static long count(String sql, Object... params) {
        return Long.parseLong(column(sql, params).get(0));
    }
}
