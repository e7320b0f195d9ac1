package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's problem+json answer as the console shows it: a sentence for the page and one message per field. The
 * registry names a field in {@code violations[].field}, the deployer in {@code violations[].path}.
 */
@TemplateData
public record Problem(int status, String detail, Map<String, String> fields, List<String> messages) {

    /** No problem: an empty form. */
    public static final Problem NONE = new Problem(0, null, Map.of(), List.of());

    /** The problem in {@code body} (problem+json); {@code status} when the body says nothing. */
    public static Problem from(int status, JsonObject body) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> messages = new ArrayList<>();
        JsonArray violations = body.getJsonArray("violations", new JsonArray());
        for (Object item : violations) {
            if (item instanceof JsonObject violation) {
                String field = violation.getString("field", violation.getString("path", ""));
                String message = violation.getString("message", violation.getString("rule", "is invalid"));
                fields.merge(field, message, (a, b) -> a + "; " + b);
                messages.add(field.isEmpty() ? message : label(field) + ": " + message);
            }
        }
        String detail = body.getString("detail", body.getString("title", defaultDetail(status)));
        return new Problem(status, detail, Map.copyOf(fields), List.copyOf(messages));
    }

    /** A problem the console found itself, for one field. */
    public static Problem ofField(String field, String message) {
        return new Problem(400, "1 field is invalid", Map.of(field, message), List.of(label(field) + ": " + message));
    }

    /** Whether there is anything to show. */
    public boolean present() {
        return status != 0;
    }

    /** The message for {@code field} (or for the entries under it, such as {@code spec.env.KEY}), or null. */
    public String error(String field) {
        String exact = fields.get(field);
        if (exact != null) {
            return exact;
        }
        List<String> under = new ArrayList<>();
        fields.forEach((key, message) -> {
            if (key.startsWith(field + ".") || key.startsWith(field + "[")) {
                under.add(key.substring(field.length() + 1) + ": " + message);
            }
        });
        return under.isEmpty() ? null : String.join("; ", under);
    }

    /** Whether {@code field} has a message. */
    public boolean has(String field) {
        return error(field) != null;
    }

    /** Combines two problems (e.g. the console's own checks and a service's). */
    public Problem and(Problem other) {
        if (!present()) {
            return other;
        }
        if (!other.present()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(fields);
        other.fields.forEach((k, v) -> merged.merge(k, v, (a, b) -> a + "; " + b));
        List<String> all = new ArrayList<>(messages);
        all.addAll(other.messages);
        return new Problem(status, merged.size() + " fields are invalid", Map.copyOf(merged), List.copyOf(all));
    }

    private static String label(String field) {
        return field.startsWith("spec.") ? field.substring("spec.".length()) : field;
    }

    private static String defaultDetail(int status) {
        return switch (status) {
            case 401 -> "Your session has ended; sign in again.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "Not found.";
            case 503, 504 -> "The service is not available right now; try again.";
            default -> "The request failed (" + status + ").";
        };
    }
}
