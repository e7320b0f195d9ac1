package dev.windlass.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table of docs/operations.md between {@code <!-- name:start -->} and {@code <!-- name:end -->}. */
final class DocTable {

    private DocTable() {}

    /** The table's body rows, each cell trimmed and without surrounding backticks; the header row is skipped. */
    static List<List<String>> rows(Path doc, String name) {
        String text;
        try {
            text = Files.readString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String start = "<!-- " + name + ":start -->";
        String end = "<!-- " + name + ":end -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(doc + " has no table between " + start + " and " + end);
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> lines = text.substring(from + start.length(), to)
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith("|"))
                .toList();
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
            rows.add(Arrays.stream(inner.split("\\|", -1))
                    .map(String::strip)
                    .map(c -> c.replace("`", ""))
                    .toList());
        }
        return rows;
    }
}
