package dev.windlass.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.common.schema.SchemaVerdict;
import dev.windlass.registry.support.SchemaAtVersion;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** An upgrade: the database is one migration behind the service, and the start applies that one. */
@QuarkusTest
@WithTestResource(
        value = SchemaAtVersion.class,
        initArgs = {
            @ResourceArg(name = "database", value = "registry_schema_behind"),
            @ResourceArg(name = "version", value = "5"),
            @ResourceArg(name = "kafka-principal", value = "registry-service")
        })
class BehindSchemaStartTest {

    @Inject
    RegistrySchema schema;

    @Test
    void theMissingMigrationIsAppliedAtStart() {
        assertThat(schema.verdict()).isEqualTo(SchemaVerdict.BEHIND);
        assertThat(schema.migrationsApplied()).isEqualTo(1);
        assertThat(SchemaHistory.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(SchemaHistory.flywayCreated()).isTrue();
    }
}
