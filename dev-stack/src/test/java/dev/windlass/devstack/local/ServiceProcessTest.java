package dev.windlass.devstack.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options and environment variables a service names in its application.properties, read as Quarkus reads
 * what its Jib extension puts on the image's command line and environment. That the running services get the options
 * is shown in suite-tests' LauncherTest.
 */
class ServiceProcessTest {

    @TempDir
    Path module;

    @Test
    void aServiceRunsWithTheJvmOptionsItsPropertiesName() throws Exception {
        write("""
                quarkus.http.port=8081
                quarkus.jib.jvm-additional-arguments=-XX:+UseSerialGC, -Xms16m,-Xmx128m ,\\
                  -XX:+ExitOnOutOfMemoryError
                """);

        assertThat(ServiceProcess.ownJvmOptions(module))
                .containsExactly("-XX:+UseSerialGC", "-Xms16m", "-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void aServiceRunsWithTheEnvironmentItsImageIsGiven() throws Exception {
        write("""
                quarkus.jib.environment-variables."GC_CONTAINER_OPTIONS"=-XX:+UseSerialGC
                quarkus.jib.environment-variables.MALLOC_ARENA_MAX= 2
                quarkus.jib.jvm-additional-arguments=-Xmx128m
                """);

        assertThat(ServiceProcess.ownEnvironment(module))
                .containsOnly(entry("GC_CONTAINER_OPTIONS", "-XX:+UseSerialGC"), entry("MALLOC_ARENA_MAX", "2"));
    }

    @Test
    void aServiceThatNamesNoneOrIsNotBuiltGetsNone() throws Exception {
        assertThat(ServiceProcess.ownJvmOptions(module)).isEmpty();
        assertThat(ServiceProcess.ownEnvironment(module)).isEmpty();

        write("quarkus.http.port=8081\n");

        assertThat(ServiceProcess.ownJvmOptions(module)).isEmpty();
        assertThat(ServiceProcess.ownEnvironment(module)).isEmpty();
    }

    private void write(String properties) throws Exception {
        Path file = module.resolve("target/classes/application.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, properties);
    }
}
