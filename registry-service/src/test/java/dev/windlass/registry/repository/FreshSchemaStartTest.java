package dev.windlass.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.common.schema.SchemaVerdict;
import dev.windlass.registry.support.SchemaAtVersion;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A new installation: the start finds no history and applies every migration before the tests run. */
@QuarkusTest
@WithTestResource(
        value = SchemaAtVersion.class,
        initArgs = {
            @ResourceArg(name = "database", value = "registry_schema_fresh"),
            @ResourceArg(name = "version", value = "none"),
            @ResourceArg(name = "kafka-principal", value = "registry-service")
        })
class FreshSchemaStartTest {

    @Inject
    RegistrySchema schema;

    @Test
    void everyMigrationIsAppliedAtStart() {
        assertThat(schema.verdict()).isEqualTo(SchemaVerdict.FRESH);
        assertThat(schema.migrationsApplied()).isEqualTo(6);
        assertThat(SchemaHistory.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(SchemaHistory.flywayCreated()).isTrue();
    }
}
