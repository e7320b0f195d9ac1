package dev.windlass.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Writes a benchmark's results to {@code bench/results/<name>-<date>T<hhmm>Z.json} and {@code .md}. */
public final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {}

    /** The machine and versions a result was measured on. */
    public static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("memoryBytes", totalMemory());
        machine.put(
                "loadAverageAtEnd",
                Summary.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        // the services' Quarkus (the parent POM's BOM) and the Kafka broker the harness embeds
        machine.put("quarkus", quarkusVersion());
        machine.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        machine.put("kubeApiServer", dev.windlass.devstack.KubeApiServer.DEFAULT_VERSION);
        machine.put("postgres", "17");
        return machine;
    }

    /** The parent POM's Quarkus platform version, as the build wrote it into {@code versions.properties}. */
    private static String quarkusVersion() {
        Properties versions = new Properties();
        try (InputStream in = Results.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // unknown
        }
        return versions.getProperty("quarkus", "unknown");
    }

    private static long totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux: unknown
        }
        return -1;
    }

    /** Writes {@code result} as JSON and {@code markdown} next to it; returns the JSON file. */
    public static Path write(String name, Map<String, Object> result, List<String> markdown) {
        Path dir = BenchSuite.root().resolve("bench/results");
        // one file per run: the minute in the name keeps a later run of the same day from overwriting it
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").format(LocalDateTime.now(ZoneOffset.UTC));
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(name + "-" + date + ".json");
            JSON.writeValue(json.toFile(), result);
            Files.write(dir.resolve(name + "-" + date + ".md"), markdown);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
