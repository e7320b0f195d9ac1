package dev.windlass.deployer.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.common.schema.SchemaAtStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The build-time constant the start compares the database with is the newest script the service ships. */
class DeployerSchemaTest {

    @Test
    void newestMigrationIsTheNewestScript() throws IOException {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            String newest = SchemaAtStart.newestVersion(
                    scripts.map(p -> p.getFileName().toString()).toList());

            assertThat(DeployerSchema.NEWEST_MIGRATION).isEqualTo(newest);
        }
    }
}
