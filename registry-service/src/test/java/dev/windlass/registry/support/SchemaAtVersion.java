package dev.windlass.registry.support;

import dev.windlass.devstack.quarkus.DevStackResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The dev stack's components, with the service's database emptied and then migrated by Flyway up to a version before
 * the service starts. Init args: {@code database} (a database of its own, as this one is emptied) and {@code version}
 * ({@code none} leaves it empty, like a new installation).
 */
public class SchemaAtVersion extends DevStackResource {

    private String version;

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(initArgs);
        version = initArgs.get("version");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        String url = config.get("quarkus.datasource.jdbc.url");
        String user = config.get("quarkus.datasource.username");
        String password = config.get("quarkus.datasource.password");
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("drop schema public cascade");
            s.execute("create schema public");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        if (!"none".equals(version)) {
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("filesystem:src/main/resources/db/migration")
                    .target(version)
                    .load()
                    .migrate();
        }
        return config;
    }
}
