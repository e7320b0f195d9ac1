package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One destination of an orchestrator: the namespaces (names, prefixes such as {@code team-a-*}, or {@code *}) its
 * groups may deploy to. The form writes one per line: {@code team-a-*, shop: team-a, team-a-leads}.
 */
@TemplateData
public record DestinationView(List<String> namespaces, List<String> groups) {

    /** The registry's {@code destinations} array. */
    static List<DestinationView> all(JsonArray json) {
        List<DestinationView> destinations = new ArrayList<>();
        for (Object item : json) {
            if (item instanceof JsonObject destination) {
                destinations.add(new DestinationView(
                        strings(destination.getJsonArray("namespaces", new JsonArray())),
                        strings(destination.getJsonArray("groups", new JsonArray()))));
            }
        }
        return List.copyOf(destinations);
    }

    /** The form's lines as the registry's {@code destinations} array; a line without a colon has no groups. */
    static JsonArray parse(String text) {
        JsonArray destinations = new JsonArray();
        for (String line : text.split("\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            String namespaces = colon < 0 ? line : line.substring(0, colon);
            String groups = colon < 0 ? "" : line.substring(colon + 1);
            destinations.add(new JsonObject()
                    .put("namespaces", new JsonArray(items(namespaces)))
                    .put("groups", new JsonArray(items(groups))));
        }
        return destinations;
    }

    /** The line the form shows. */
    public String text() {
        return String.join(", ", namespaces) + ": " + String.join(", ", groups);
    }

    private static List<String> items(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    private static List<String> strings(JsonArray array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(String.valueOf(item)));
        return List.copyOf(strings);
    }
}
