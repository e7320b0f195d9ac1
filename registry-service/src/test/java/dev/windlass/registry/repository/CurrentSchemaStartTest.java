package dev.windlass.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.common.schema.SchemaVerdict;
import dev.windlass.registry.support.SchemaAtVersion;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A restart: the schema is current, and the start neither creates Flyway nor touches the history. */
@QuarkusTest
@WithTestResource(
        value = SchemaAtVersion.class,
        initArgs = {
            @ResourceArg(name = "database", value = "registry_schema_current"),
            @ResourceArg(name = "version", value = "6"),
            @ResourceArg(name = "kafka-principal", value = "registry-service")
        })
class CurrentSchemaStartTest {

    @Inject
    RegistrySchema schema;

    @Test
    void flywayIsNotCreatedAtStart() {
        assertThat(schema.verdict()).isEqualTo(SchemaVerdict.CURRENT);
        assertThat(schema.migrationsApplied()).isZero();
        assertThat(SchemaHistory.appliedVersions()).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(SchemaHistory.flywayCreated()).isFalse();
    }
}
