package dev.windlass.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one run, by section, written to {@code target/reliability-report.md} and printed. */
public final class Report {

    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Records one figure. */
    public synchronized void figure(String section, String name, Object value) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, value);
    }

    /** Records a line of text under the figures. */
    public synchronized void note(String line) {
        notes.add(line);
    }

    /** Writes the report and prints it. */
    public synchronized void write(Path file) {
        StringBuilder out = new StringBuilder();
        Reliability.Settings settings = Reliability.Settings.current();
        out.append("# Reliability run (")
                .append(settings.name())
                .append(") ")
                .append(Instant.now())
                .append("\n\n");
        out.append("Settings: ").append(settings).append("\n");
        for (var section : sections.entrySet()) {
            out.append("\n## ").append(section.getKey()).append("\n\n| figure | value |\n|---|---|\n");
            section.getValue()
                    .forEach((k, v) ->
                            out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        }
        if (!notes.isEmpty()) {
            out.append("\n## Notes\n\n");
            notes.forEach(n -> out.append("- ").append(n).append("\n"));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(out);
    }
}
