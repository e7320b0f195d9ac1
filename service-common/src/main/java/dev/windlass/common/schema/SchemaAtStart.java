package dev.windlass.common.schema;

import io.quarkus.flyway.runtime.FlywayContainerProducer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The rule both services apply at start: read the schema's version with the reactive client and run Flyway only when
 * the database is behind the newest migration the service ships, fresh, or left a failed migration behind. A current
 * database costs one query; the JDBC driver, a JDBC pool and Flyway are not loaded at all.
 *
 * <p>The migrations' own datasource is configured inactive ({@code quarkus.datasource.<name>.active=false}), so that
 * Quarkus creates neither its Agroal pool nor its Flyway bean at start; {@link #migrate} builds Flyway from the same
 * {@code quarkus.flyway.<name>.*} settings (and the migration list Quarkus recorded at build time, which is what
 * keeps this native-image safe) over a plain, single-connection JDBC datasource.
 */
public final class SchemaAtStart {

    /** Whether Flyway's history table exists in the schemas on the search path. */
    static final String HISTORY_EXISTS = "select to_regclass('flyway_schema_history') is not null";

    /** The versioned migrations Flyway recorded, applied or failed. */
    static final String HISTORY = "select version, success from flyway_schema_history where version is not null";

    /** The JDBC datasource Flyway runs on in each service; inactive, so Quarkus never opens it by itself. */
    public static final String MIGRATIONS_DATASOURCE = "migrations";

    private static final Logger LOG = Logger.getLogger(SchemaAtStart.class);

    private SchemaAtStart() {}

    /** One row of Flyway's history. */
    public record Applied(String version, boolean success) {}

    /** What a start found, and how many migrations it applied (0 when Flyway did not run). */
    public record Outcome(SchemaVerdict verdict, int migrationsApplied) {}

    /**
     * The whole rule, blocking: inspects the schema and, when it needs it, migrates over the JDBC URL, user and
     * password of the service's default datasource ({@code quarkus.datasource.jdbc.url}, {@code .username},
     * {@code .password}). {@code flyways} is only asked for when Flyway runs.
     */
    public static Outcome bringUpToDate(
            Pool pool, Supplier<FlywayContainerProducer> flyways, Config config, String newestShipped) {
        SchemaVerdict verdict = inspect(pool, newestShipped).await().atMost(Duration.ofMinutes(1));
        if (!verdict.needsMigration()) {
            LOG.infof("schema is at version %s or newer: no migration", newestShipped);
            return new Outcome(verdict, 0);
        }
        LOG.infof("schema is %s (newest migration %s): running Flyway", verdict, newestShipped);
        int applied = migrate(
                flyways.get(),
                MIGRATIONS_DATASOURCE,
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(null));
        return new Outcome(verdict, applied);
    }

    /** The verdict for a history ({@code null}: no history table) against the newest shipped version. */
    public static SchemaVerdict verdict(List<Applied> history, String newestShipped) {
        if (history == null) {
            return SchemaVerdict.FRESH;
        }
        String newestApplied = null;
        for (Applied applied : history) {
            if (!applied.success()) {
                return SchemaVerdict.FAILED;
            }
            if (newestApplied == null || compareVersions(applied.version(), newestApplied) > 0) {
                newestApplied = applied.version();
            }
        }
        return newestApplied != null && compareVersions(newestApplied, newestShipped) >= 0
                ? SchemaVerdict.CURRENT
                : SchemaVerdict.BEHIND;
    }

    /** Reads Flyway's history with the reactive client and gives the verdict. */
    public static Uni<SchemaVerdict> inspect(Pool pool, String newestShipped) {
        return pool.query(HISTORY_EXISTS).execute().flatMap(exists -> {
            if (!exists.iterator().next().getBoolean(0)) {
                return Uni.createFrom().item(SchemaVerdict.FRESH);
            }
            return pool.query(HISTORY).execute().map(rows -> {
                List<Applied> history = new ArrayList<>();
                for (Row row : rows) {
                    history.add(new Applied(row.getString("version"), row.getBoolean("success")));
                }
                return verdict(history, newestShipped);
            });
        });
    }

    /**
     * Runs Flyway's validate and migrate for the named (inactive) datasource over one plain JDBC connection; the
     * number of migrations applied. Blocking.
     */
    public static int migrate(
            FlywayContainerProducer flyways, String dataSourceName, String jdbcUrl, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        MigrateResult result = flyways.createFlyway(dataSource, dataSourceName, true, false)
                .getFlyway()
                .migrate();
        return result.migrationsExecuted;
    }

    /**
     * The newest version among versioned migration scripts ({@code V6__authentik_outpost.sql}); other names are
     * skipped. For the test that keeps a service's build-time constant equal to its newest script.
     */
    public static String newestVersion(List<String> scriptNames) {
        String newest = null;
        for (String name : scriptNames) {
            int end = name.indexOf("__");
            if (name.startsWith("V") && end > 1) {
                String version = name.substring(1, end);
                if (newest == null || compareVersions(version, newest) > 0) {
                    newest = version;
                }
            }
        }
        return newest;
    }

    /**
     * Compares two Flyway versions ({@code 6}, {@code 1.2}, {@code 2_1}) part by part, numerically; negative when
     * {@code a} is older.
     */
    public static int compareVersions(String a, String b) {
        String[] left = a.split("[._]");
        String[] right = b.split("[._]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }
}
