package dev.windlass.deployer.repository;

import dev.windlass.common.schema.SchemaAtStart;
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
 * Brings the deployer's schema up to date before the service answers requests: one query when it already is, Flyway
 * (and JDBC) only when the database is fresh, behind, or holds a failed migration ({@link SchemaAtStart}).
 */
@ApplicationScoped
public class DeployerSchema {

    /** The newest script in {@code db/migration}: raise it with every new script. */
    public static final String NEWEST_MIGRATION = "12";

    @Inject
    Pool pool;

    @Inject
    Instance<FlywayContainerProducer> flyways;

    @Inject
    Config config;

    /** Runs before every other start-up observer: nothing may read a table before its migration ran. */
    void onStart(@Observes @Priority(-1000) StartupEvent event) {
        SchemaAtStart.bringUpToDate(pool, flyways::get, config, NEWEST_MIGRATION);
    }
}
