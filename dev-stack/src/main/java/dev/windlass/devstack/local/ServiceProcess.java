package dev.windlass.devstack.local;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** One Windlass service run as a child JVM from its built {@code quarkus-run.jar}. */
final class ServiceProcess {

    private final String name;
    private final int port;
    private final Map<String, String> config;
    private final Path logs;
    private Process process;

    ServiceProcess(String name, int port, Map<String, String> config, Path logs) {
        this.name = name;
        this.port = port;
        this.config = config;
        this.logs = logs;
    }

    String name() {
        return name;
    }

    void start(Path root) throws IOException {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: build first (./mvnw -B install -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(jar.toString());
        process = new ProcessBuilder(cmd)
                .directory(writeConfig().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logs.resolve(name + ".log").toFile()))
                .start();
    }

    /**
     * Writes the service's settings to {@code config/application.properties} in its own working
     * directory (read by Quarkus at start), so that keys and secrets never show on a command line.
     */
    private Path writeConfig() throws IOException {
        Path dir = logs.getParent().resolve("run").resolve(name);
        Path file = dir.resolve("config").resolve("application.properties");
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties props = new Properties();
        props.putAll(config);
        props.setProperty("quarkus.http.port", Integer.toString(port));
        props.setProperty("quarkus.http.host", "127.0.0.1");
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "written by the local suite at each start");
        }
        return dir;
    }

    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(
                        name + " exited with " + process.exitValue() + "; see .windlass/logs/" + name + ".log");
            }
            try {
                HttpResponse<Void> r =
                        http.send(HttpRequest.newBuilder(ready).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " not ready after " + timeout + "; see .windlass/logs/" + name + ".log");
    }

    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
