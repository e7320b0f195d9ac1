package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploy form. Input names are the deployer's violation paths ({@code spec.ports[0].containerPort}), so a
 * problem's messages land beside their fields. Secret values are never shown again: after an error they are typed
 * anew.
 */
@TemplateData
public record DeployForm(
        List<String> orchestrators, Map<String, String> values, List<Integer> portRows, List<Integer> volumeRows) {

    /** Port rows and volume rows the form offers. */
    static final int PORTS = 3;

    static final int VOLUMES = 2;

    public static final List<String> EXPOSURES = List.of("CLUSTER", "INGRESS", "LOAD_BALANCER", "NODE_PORT");

    /** An empty form; {@code orchestrator} preselected when given. */
    public static DeployForm empty(List<String> orchestrators, String orchestrator, String namespace) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("orchestrator", orchestrator == null ? "" : orchestrator);
        values.put("namespace", namespace == null ? "" : namespace);
        values.put("spec.replicas", "1");
        return new DeployForm(orchestrators, values, rows(PORTS), rows(VOLUMES));
    }

    /** The form as posted, secrets left out. */
    public static DeployForm posted(List<String> orchestrators, MultivaluedMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((key, list) -> {
            if (!key.equals("spec.secretEnv") && list != null && !list.isEmpty()) {
                values.put(key, list.get(0));
            }
        });
        return new DeployForm(orchestrators, values, rows(PORTS), rows(VOLUMES));
    }

    /** What was typed into {@code field}, or "". */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** Whether the checkbox {@code field} was ticked. */
    public boolean checked(String field) {
        return "on".equals(value(field));
    }

    /** Whether {@code option} is the value of {@code field}. */
    public boolean selected(String field, String option) {
        return option.equals(value(field));
    }

    /** The input name of part {@code part} of port row {@code row}. */
    public String portField(int row, String part) {
        return "spec.ports[" + row + "]." + part;
    }

    /** The input name of part {@code part} of volume row {@code row}. */
    public String volumeField(int row, String part) {
        return "spec.volumes[" + row + "]." + part;
    }

    public List<String> exposures() {
        return EXPOSURES;
    }

    /** The deployer request, or the problem found before asking (numbers that are not numbers, KEY=VALUE lines). */
    public static Result request(MultivaluedMap<String, String> form) {
        Problem problem = Problem.NONE;
        JsonObject spec = new JsonObject().put("name", text(form, "spec.name")).put("image", text(form, "spec.image"));
        Problem[] found = {problem};
        Integer replicas = integer(form, "spec.replicas", found);
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        if ("on".equals(text(form, "spec.selfHeal"))) {
            spec.put("selfHeal", true);
        }
        JsonArray ports = new JsonArray();
        for (int i = 0; i < PORTS; i++) {
            String at = "spec.ports[" + i + "].";
            String name = text(form, at + "name");
            String number = text(form, at + "containerPort");
            if (name.isEmpty() && number.isEmpty()) {
                continue;
            }
            JsonObject port = new JsonObject()
                    .put("name", name)
                    .put("exposure", orDefault(text(form, at + "exposure"), "CLUSTER"));
            Integer containerPort = integer(form, at + "containerPort", found);
            if (containerPort != null) {
                port.put("containerPort", containerPort);
            }
            Integer nodePort = integer(form, at + "nodePort", found);
            if (nodePort != null) {
                port.put("nodePort", nodePort);
            }
            ports.add(port);
        }
        if (!ports.isEmpty()) {
            spec.put("ports", ports);
        }
        String host = text(form, "spec.ingress.host");
        if (!host.isEmpty()) {
            JsonObject ingress = new JsonObject().put("host", host);
            putIfPresent(ingress, "path", text(form, "spec.ingress.path"));
            putIfPresent(ingress, "className", text(form, "spec.ingress.className"));
            putIfPresent(ingress, "tlsIssuer", text(form, "spec.ingress.tlsIssuer"));
            spec.put("ingress", ingress);
        }
        JsonObject env = pairs(form, "spec.env", found);
        if (!env.isEmpty()) {
            spec.put("env", env);
        }
        JsonObject secretEnv = pairs(form, "spec.secretEnv", found);
        if (!secretEnv.isEmpty()) {
            spec.put("secretEnv", secretEnv);
        }
        JsonArray volumes = new JsonArray();
        for (int i = 0; i < VOLUMES; i++) {
            String at = "spec.volumes[" + i + "].";
            String name = text(form, at + "name");
            if (name.isEmpty() && text(form, at + "mountPath").isEmpty()) {
                continue;
            }
            JsonObject volume = new JsonObject()
                    .put("name", name)
                    .put("mountPath", text(form, at + "mountPath"))
                    .put("size", text(form, at + "size"));
            putIfPresent(volume, "storageClass", text(form, at + "storageClass"));
            volumes.add(volume);
        }
        if (!volumes.isEmpty()) {
            spec.put("volumes", volumes);
        }
        JsonObject requests = amounts(form, "spec.resources.requests");
        JsonObject limits = amounts(form, "spec.resources.limits");
        if (requests != null || limits != null) {
            JsonObject resources = new JsonObject();
            if (requests != null) {
                resources.put("requests", requests);
            }
            if (limits != null) {
                resources.put("limits", limits);
            }
            spec.put("resources", resources);
        }
        JsonObject request =
                new JsonObject().put("orchestrator", text(form, "orchestrator")).put("spec", spec);
        putIfPresent(request, "namespace", text(form, "namespace"));
        return new Result(request, found[0]);
    }

    /** A request to send, or the problem that keeps it from being sent. */
    public record Result(JsonObject request, Problem problem) {}

    private static JsonObject amounts(MultivaluedMap<String, String> form, String at) {
        String cpu = text(form, at + ".cpu");
        String memory = text(form, at + ".memory");
        if (cpu.isEmpty() && memory.isEmpty()) {
            return null;
        }
        JsonObject amounts = new JsonObject();
        putIfPresent(amounts, "cpu", cpu);
        putIfPresent(amounts, "memory", memory);
        return amounts;
    }

    private static JsonObject pairs(MultivaluedMap<String, String> form, String field, Problem[] found) {
        JsonObject pairs = new JsonObject();
        for (String line : text(form, field).split("\\R")) {
            String entry = line.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                found[0] = found[0].and(Problem.ofField(field, "each line must be KEY=VALUE"));
                continue;
            }
            pairs.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
        }
        return pairs;
    }

    private static Integer integer(MultivaluedMap<String, String> form, String field, Problem[] found) {
        String value = text(form, field);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            found[0] = found[0].and(Problem.ofField(field, "must be a whole number"));
            return null;
        }
    }

    private static void putIfPresent(JsonObject json, String key, String value) {
        if (!value.isEmpty()) {
            json.put(key, value);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    private static String text(MultivaluedMap<String, String> form, String field) {
        String value = form.getFirst(field);
        return value == null ? "" : value.strip();
    }

    private static List<Integer> rows(int count) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(i);
        }
        return List.copyOf(rows);
    }
}
