package dev.windlass.devstack.quarkus;

import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.EmbeddedKafka;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.KafkaAccess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a Quarkus service under test at the real components of the dev stack.
 *
 * <p>Init args: {@code database} (the service's own database, created if missing), {@code
 * kafka} ({@code false} for a service without Kafka) and {@code kafka-principal} (the Kafka user the service signs
 * in as; default {@code <database>-service}, the names of {@link KafkaAccess}). Each component can instead be an existing
 * one: {@code WINDLASS_POSTGRES_JDBC_URL} (a server URL without database, with
 * {@code WINDLASS_POSTGRES_USER}/{@code WINDLASS_POSTGRES_PASSWORD}), {@code
 * WINDLASS_KAFKA_BOOTSTRAP_SERVERS} and {@code WINDLASS_OIDC_ISSUER}.
 */
public class DevStackResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private boolean kafka = true;
    private String kafkaPrincipal;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        kafka = !"false".equals(initArgs.get("kafka"));
        // each service signs in to Kafka as itself: the principal is named, or follows from the service's database
        kafkaPrincipal =
                initArgs.getOrDefault("kafka-principal", database == null ? KafkaAccess.ADMIN : database + "-service");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (database != null) {
            config.putAll(datasource(database));
        }
        if (kafka) {
            String external = EmbeddedKafka.externalBootstrap();
            if (external != null) {
                config.put("kafka.bootstrap.servers", external);
            } else {
                DevStack.kafka()
                        .clientProperties(kafkaPrincipal)
                        .forEach((name, value) -> config.put("kafka." + name, value));
            }
        }
        String issuer = AuthentikIssuer.externalIssuer();
        config.put(
                "quarkus.oidc.auth-server-url",
                issuer != null ? issuer : DevStack.oidc().issuer());
        config.put("quarkus.oidc.client-id", AuthentikIssuer.CLIENT_ID);
        config.put("quarkus.oidc.credentials.secret", AuthentikIssuer.CLIENT_SECRET);
        return config;
    }

    private static Map<String, String> datasource(String database) {
        String external = EmbeddedPostgres.externalJdbcUrl();
        String user = EmbeddedPostgres.USER;
        String password = EmbeddedPostgres.PASSWORD;
        String jdbc;
        if (external != null) {
            jdbc = external.replaceAll("/+$", "") + "/" + database;
            user = System.getenv().getOrDefault("WINDLASS_POSTGRES_USER", user);
            password = System.getenv().getOrDefault("WINDLASS_POSTGRES_PASSWORD", password);
        } else {
            EmbeddedPostgres pg = DevStack.postgres();
            pg.createDatabase(database);
            jdbc = pg.jdbcUrl(database);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbc,
                "quarkus.datasource.reactive.url", jdbc.substring("jdbc:".length()),
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        // The components are shared by every test class in this JVM and stop when it exits.
    }
}
