package dev.windlass.registry.repository;

import dev.windlass.common.schema.SchemaAtStart;
import dev.windlass.common.schema.SchemaVerdict;
import io.quarkus.flyway.runtime.FlywayContainerProducer;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * Brings the registry's schema up to date before the service answers requests: one query when it already is, Flyway
 * (and JDBC) only when the database is fresh, behind, or holds a failed migration ({@link SchemaAtStart}).
 */
@ApplicationScoped
public class RegistrySchema {

    /** The newest script in {@code db/migration}; RegistrySchemaTest keeps the two in step. */
    public static final String NEWEST_MIGRATION = "6";

    @Inject
    Pool pool;

    @Inject
    Instance<FlywayContainerProducer> flyways;

    @Inject
    Config config;

    private volatile SchemaAtStart.Outcome outcome;

    /** Runs before every other start-up observer: nothing may read a table before its migration ran. */
    void onStart(@Observes @Priority(-1000) StartupEvent event) {
        outcome = SchemaAtStart.bringUpToDate(pool, flyways::get, config, NEWEST_MIGRATION);
    }

    /** What the start found; null before it ran. */
    public SchemaVerdict verdict() {
        return outcome == null ? null : outcome.verdict();
    }

    /** How many migrations the start applied (0 when Flyway did not run). */
    public int migrationsApplied() {
        return outcome == null ? 0 : outcome.migrationsApplied();
    }
}
