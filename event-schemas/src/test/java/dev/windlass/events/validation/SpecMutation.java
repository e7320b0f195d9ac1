package dev.windlass.events.validation;

import static dev.windlass.events.JsonEdits.element;
import static dev.windlass.events.JsonEdits.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.windlass.events.spec.SpecGenerator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One field of a valid spec (as JSON) changed to something invalid; {@link #apply} returns the path of the
 * field that a violation must name. {@code schemaCatches} says whether the JSON Schema alone rejects it.
 */
record SpecMutation(String field, Object value, boolean schemaCatches, BiFunction<ObjectNode, Object, String> edit) {

    /** Applies the change to a {@code spec} node and returns the path that must be reported. */
    String apply(ObjectNode spec) {
        return edit.apply(spec, value);
    }

    @Override
    public String toString() {
        String shown = String.valueOf(value);
        return field + " <- " + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown);
    }

    /** How many kinds of breakage there are. */
    static int kinds() {
        return KINDS.size();
    }

    /** A mutation of kind {@code seed mod kinds()}, its invalid value drawn from {@code random}. */
    static SpecMutation draw(long seed, SpecGenerator random) {
        return KINDS.get(Math.floorMod(seed, KINDS.size())).draw(random);
    }

    /** One kind of breakage: the field it breaks, how to draw an invalid value, and how to put it in. */
    private record Kind<V>(
            String field,
            boolean schemaCatches,
            Function<SpecGenerator, V> values,
            BiFunction<ObjectNode, V, String> edit) {

        SpecMutation draw(SpecGenerator random) {
            @SuppressWarnings("unchecked")
            BiFunction<ObjectNode, Object, String> untyped = (spec, value) -> edit.apply(spec, (V) value);
            return new SpecMutation(field, values.apply(random), schemaCatches, untyped);
        }
    }

    private static <V> Kind<V> kind(
            String field,
            boolean schemaCatches,
            Function<SpecGenerator, V> values,
            BiFunction<ObjectNode, V, String> edit) {
        return new Kind<>(field, schemaCatches, values, edit);
    }

    /** Every kind of single-field breakage; the spec must come from {@link SpecGenerator#richSpec()}. */
    private static final List<Kind<?>> KINDS = List.of(
            kind("name", true, Invalid::dns1035Labels, (spec, v) -> set(spec, "name", v)),
            kind("image", true, Invalid::images, (spec, v) -> set(spec, "image", v)),
            kind("image (name over 255)", false, g -> g.intBetween(128, 200), (spec, v) -> {
                spec.put("image", "a/".repeat(v) + "b");
                return "spec.image";
            }),
            kind("image (missing)", true, g -> "", (spec, v) -> {
                spec.remove("image");
                return "spec.image";
            }),
            kind("replicas", true, g -> Invalid.outside(g, 0, 100), (spec, v) -> set(spec, "replicas", v)),
            kind("ports[0].containerPort", true, g -> Invalid.outside(g, 1, 65535), (spec, v) -> {
                element(spec, "ports", 0).put("containerPort", v);
                return "spec.ports[0].containerPort";
            }),
            kind("ports[0].name", true, Invalid::portNames, (spec, v) -> {
                element(spec, "ports", 0).put("name", v);
                return "spec.ports[0].name";
            }),
            kind("ports[0].nodePort", true, g -> Invalid.outside(g, 30000, 32767), (spec, v) -> {
                element(spec, "ports", 0).put("exposure", "NODE_PORT").put("nodePort", v);
                return "spec.ports[0].nodePort";
            }),
            kind("ports[0].nodePort (not NODE_PORT)", false, g -> g.intBetween(30000, 32767), (spec, v) -> {
                element(spec, "ports", 0).put("nodePort", v);
                return "spec.ports[0].nodePort";
            }),
            kind("ports[0].protocol (UDP ingress)", false, g -> "UDP", (spec, v) -> {
                element(spec, "ports", 0).put("protocol", v);
                return "spec.ports[0].exposure";
            }),
            kind("ports[0].protocol", true, g -> g.pick("SCTP", "tcp", "Tcp"), (spec, v) -> {
                element(spec, "ports", 0).put("protocol", v);
                return "spec.ports[0].protocol";
            }),
            kind("ports[].name (duplicate)", false, g -> "", (spec, v) -> {
                ArrayNode ports = (ArrayNode) spec.get("ports");
                ports.addObject()
                        .put("name", ports.get(0).get("name").asText())
                        .put("containerPort", unusedPort(ports));
                return "spec.ports[" + (ports.size() - 1) + "].name";
            }),
            kind("ingress.host", true, Invalid::hosts, (spec, v) -> {
                object(spec, "ingress").put("host", v);
                return "spec.ingress.host";
            }),
            kind("ingress.path", true, Invalid::httpPaths, (spec, v) -> {
                object(spec, "ingress").put("path", v);
                return "spec.ingress.path";
            }),
            kind("ingress.tlsIssuer", true, Invalid::subdomains, (spec, v) -> {
                object(spec, "ingress").put("tlsIssuer", v);
                return "spec.ingress.tlsIssuer";
            }),
            kind("resources.requests.cpu", true, Invalid::quantities, (spec, v) -> {
                object(object(spec, "resources"), "requests").put("cpu", v);
                return "spec.resources.requests.cpu";
            }),
            kind("resources.limits.memory", true, Invalid::quantities, (spec, v) -> {
                object(object(spec, "resources"), "limits").put("memory", v);
                return "spec.resources.limits.memory";
            }),
            kind("resources.limits.memory (millibytes)", false, g -> g.intBetween(1, 999999), (spec, v) -> {
                object(object(spec, "resources"), "limits").put("memory", v + "m");
                return "spec.resources.limits.memory";
            }),
            kind("resources.requests.memory (above limit)", false, g -> g.intBetween(2, 64), (spec, v) -> {
                object(object(spec, "resources"), "requests").put("memory", v + "Gi");
                object(object(spec, "resources"), "limits").put("memory", "1Gi");
                return "spec.resources.requests.memory";
            }),
            kind("volumes[0].size", true, Invalid::quantities, (spec, v) -> {
                element(spec, "volumes", 0).put("size", v);
                return "spec.volumes[0].size";
            }),
            kind("volumes[0].size (zero)", false, g -> g.pick("0", "0Gi", "0.0", "0e3"), (spec, v) -> {
                element(spec, "volumes", 0).put("size", v);
                return "spec.volumes[0].size";
            }),
            kind("volumes[0].mountPath", true, Invalid::mountPaths, (spec, v) -> {
                element(spec, "volumes", 0).put("mountPath", v);
                return "spec.volumes[0].mountPath";
            }),
            kind("volumes[0].name", true, Invalid::dnsLabels, (spec, v) -> {
                element(spec, "volumes", 0).put("name", v);
                return "spec.volumes[0].name";
            }),
            kind("volumes[] (duplicate)", false, g -> "", (spec, v) -> {
                ArrayNode volumes = (ArrayNode) spec.get("volumes");
                volumes.add(volumes.get(0).deepCopy());
                return "spec.volumes[" + (volumes.size() - 1) + "].name";
            }),
            kind("probes.liveness.port (undeclared)", false, g -> "", (spec, v) -> {
                object(object(spec, "probes"), "liveness").put("port", unusedPort((ArrayNode) spec.get("ports")));
                return "spec.probes.liveness.port";
            }),
            kind("probes.liveness.port", true, g -> Invalid.outside(g, 1, 65535), (spec, v) -> {
                object(object(spec, "probes"), "liveness").put("port", v);
                return "spec.probes.liveness.port";
            }),
            kind("probes.liveness.periodSeconds", true, g -> Invalid.outside(g, 1, 3600), (spec, v) -> {
                object(object(spec, "probes"), "liveness").put("periodSeconds", v);
                return "spec.probes.liveness.periodSeconds";
            }),
            kind("networkPolicy.allowFrom[0]", true, Invalid::dns1035Labels, (spec, v) -> {
                ((ArrayNode) object(spec, "networkPolicy").get("allowFrom")).set(0, TextNode.valueOf(v));
                return "spec.networkPolicy.allowFrom[0]";
            }),
            kind("env key", true, Invalid::envNames, (spec, v) -> {
                object(spec, "env").put(v, "value");
                return JsonPaths.property("spec.env", v);
            }),
            kind("env value (too long)", true, g -> g.intBetween(4097, 6000), (spec, v) -> {
                object(spec, "env").put("LONG_VALUE", "x".repeat(v));
                return "spec.env.LONG_VALUE";
            }),
            kind("secretEnv key (also plain)", false, g -> "SHARED_NAME", (spec, v) -> {
                object(spec, "env").put(v, "plain");
                object(spec, "secretEnv").put(v, "secret");
                return "spec.secretEnv." + v;
            }),
            kind("command (too many)", true, g -> g.intBetween(51, 80), (spec, v) -> {
                ArrayNode command = spec.putArray("command");
                for (int i = 0; i < v; i++) {
                    command.add("x");
                }
                return "spec.command";
            }),
            kind("labels key", true, Invalid::labelKeys, (spec, v) -> {
                object(spec, "labels").put(v, "value");
                return JsonPaths.property("spec.labels", v);
            }),
            kind("labels value", true, Invalid::labelValues, (spec, v) -> {
                object(spec, "labels").put("tier", v);
                return "spec.labels.tier";
            }),
            kind("labels key (reserved)", false, Invalid::reservedKeys, (spec, v) -> {
                object(spec, "labels").put(v, "x");
                return JsonPaths.property("spec.labels", v);
            }));

    private static String set(ObjectNode spec, String field, Object value) {
        if (value instanceof Integer number) {
            spec.put(field, number);
        } else {
            spec.put(field, (String) value);
        }
        return "spec." + field;
    }

    private static int unusedPort(ArrayNode ports) {
        Set<Integer> used = new HashSet<>();
        for (JsonNode port : ports) {
            used.add(port.path("containerPort").asInt());
        }
        int candidate = 1;
        while (used.contains(candidate)) {
            candidate++;
        }
        return candidate;
    }

    /** Values that break one rule each, drawn from a generator of valid values. */
    static final class Invalid {

        private Invalid() {}

        static int outside(SpecGenerator g, int min, int max) {
            return g.bool()
                    ? g.intBetween(Integer.MIN_VALUE / 2, min - 1)
                    : g.intBetween(max + 1, Integer.MAX_VALUE / 2);
        }

        static String dnsLabels(SpecGenerator g) {
            return g.oneOf(
                    () -> g.dns1035Label().toUpperCase(),
                    () -> "-" + g.dnsLabel(),
                    () -> g.dnsLabel() + "-",
                    () -> g.dnsLabel() + "_x",
                    () -> g.dnsLabel() + ".x",
                    () -> "a".repeat(64),
                    () -> "");
        }

        static String dns1035Labels(SpecGenerator g) {
            return g.bool() ? dnsLabels(g) : "9" + g.dnsLabel();
        }

        static String subdomains(SpecGenerator g) {
            return g.oneOf(
                    () -> upperCased(g),
                    () -> g.dnsSubdomain() + "..",
                    () -> "-" + g.dnsSubdomain(),
                    () -> g.dnsSubdomain() + " x");
        }

        /** A subdomain upper-cased, with at least one letter so that it changed. */
        private static String upperCased(SpecGenerator g) {
            String subdomain;
            do {
                subdomain = g.dnsSubdomain().toUpperCase();
            } while (subdomain.equals(subdomain.toLowerCase()));
            return subdomain;
        }

        static String images(SpecGenerator g) {
            return g.oneOf(
                    () -> "",
                    () -> g.dns1035Label().toUpperCase(),
                    () -> g.image() + ":",
                    () -> g.image() + " ",
                    () -> "/" + g.image(),
                    () -> g.image() + "@sha256:abc",
                    () -> g.image() + "x".repeat(ImageReference.MAX_LENGTH));
        }

        static String portNames(SpecGenerator g) {
            return g.oneOf(
                    () -> g.portName().toUpperCase(),
                    () -> g.portName() + "--x",
                    () -> "-" + g.portName(),
                    () -> g.string(SpecGenerator.DIGITS, 1, 5),
                    () -> "abcdefghijklmnop");
        }

        static String quantities(SpecGenerator g) {
            return g.oneOf(
                    () -> g.pick("", "1.5cores", "abc", "-1", "+1", "1..5", "1 Gi", "0x10", "1MB", "256mi", "1e", "Mi"),
                    () -> g.intBetween(1, 999) + "XB",
                    () -> g.intBetween(1, 999) + "Mi2",
                    () -> "1".repeat(40));
        }

        static String mountPaths(SpecGenerator g) {
            return g.oneOf(
                    g::dnsLabel,
                    () -> "/",
                    () -> "/" + g.dnsLabel() + "/../etc",
                    () -> "/" + g.dnsLabel() + ":x",
                    () -> "/" + g.dnsLabel() + " x");
        }

        static String hosts(SpecGenerator g) {
            return g.oneOf(
                    () -> g.host().toUpperCase(),
                    () -> g.pick("1.2.3.4", "10.0.0.1", "localhost."),
                    () -> "-" + g.host(),
                    () -> "*." + g.host(),
                    () -> g.host().replace('.', '_'));
        }

        static String httpPaths(SpecGenerator g) {
            return g.oneOf(
                    g::dnsLabel,
                    () -> "/" + g.dnsLabel() + " x",
                    () -> "/" + g.dnsLabel() + "/../x",
                    () -> "/" + "a".repeat(300));
        }

        static String envNames(SpecGenerator g) {
            return g.oneOf(
                    () -> "1" + g.envName(),
                    () -> g.envName() + "-X",
                    () -> g.envName() + " ",
                    () -> "",
                    () -> "A".repeat(129));
        }

        static String labelKeys(SpecGenerator g) {
            return g.oneOf(
                    () -> g.pick("a/b/c", "/x", "x/", "bad key", "x".repeat(64), "Example.com/x"),
                    () -> "-" + g.dnsLabel(),
                    () -> g.dnsLabel() + "_");
        }

        static String labelValues(SpecGenerator g) {
            return g.pick("-x", "x".repeat(64), "a b", "x_", "ünïcode");
        }

        static String reservedKeys(SpecGenerator g) {
            return g.pick("app.kubernetes.io/name", "app.kubernetes.io/managed-by", "windlass.dev/revision");
        }
    }
}
