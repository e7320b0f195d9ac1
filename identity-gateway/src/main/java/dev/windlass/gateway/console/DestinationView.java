package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One destination of an orchestrator: the namespaces (names, prefixes such as {@code team-a-*}, or {@code *}) its
 * groups may deploy to, and the Ingress hosts apps there may use (none listed: any). The form writes one per line:
 * {@code team-a-*, shop: team-a, team-a-leads: *.team-a.example.com}, the hosts part optional.
 */
@TemplateData
public record DestinationView(List<String> namespaces, List<String> groups, List<String> hosts) {

    /** The registry's {@code destinations} array. */
    static List<DestinationView> all(JsonArray json) {
        List<DestinationView> destinations = new ArrayList<>();
        for (Object item : json) {
            if (item instanceof JsonObject destination) {
                destinations.add(new DestinationView(
                        strings(destination.getJsonArray("namespaces", new JsonArray())),
                        strings(destination.getJsonArray("groups", new JsonArray())),
                        strings(destination.getJsonArray("hosts", new JsonArray()))));
            }
        }
        return List.copyOf(destinations);
    }

    /**
     * The form's lines as the registry's {@code destinations} array: namespaces, groups and hosts separated by colons;
     * a line without a colon has no groups, one with a single colon no hosts.
     */
    static JsonArray parse(String text) {
        JsonArray destinations = new JsonArray();
        for (String line : text.split("\\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(":", 3);
            JsonObject destination = new JsonObject()
                    .put("namespaces", new JsonArray(items(parts[0])))
                    .put("groups", new JsonArray(items(parts.length > 1 ? parts[1] : "")));
            List<String> hosts = items(parts.length > 2 ? parts[2] : "");
            if (!hosts.isEmpty()) {
                destination.put("hosts", new JsonArray(hosts));
            }
            destinations.add(destination);
        }
        return destinations;
    }

    /** The line the form shows. */
    public String text() {
        String line = String.join(", ", namespaces) + ": " + String.join(", ", groups);
        return hosts.isEmpty() ? line : line + ": " + String.join(", ", hosts);
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
