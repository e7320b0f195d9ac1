package dev.windlass.events.validation;

import static dev.windlass.events.JsonEdits.element;
import static dev.windlass.events.JsonEdits.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.windlass.events.spec.SpecArbitraries;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

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

    private static <V> Arbitrary<SpecMutation> of(
            String field, boolean schemaCatches, Arbitrary<V> values, BiFunction<ObjectNode, V, String> edit) {
        @SuppressWarnings("unchecked")
        BiFunction<ObjectNode, Object, String> untyped = (spec, value) -> edit.apply(spec, (V) value);
        return values.map(value -> new SpecMutation(field, value, schemaCatches, untyped));
    }

    /** Every kind of single-field breakage; the spec must come from {@link SpecArbitraries#richSpecs()}. */
    static Arbitrary<SpecMutation> all() {
        return Arbitraries.oneOf(List.of(
                of("name", true, Invalid.dns1035Labels(), (spec, v) -> set(spec, "name", v)),
                of("image", true, Invalid.images(), (spec, v) -> set(spec, "image", v)),
                of("image (name over 255)", false, Arbitraries.integers().between(128, 200), (spec, v) -> {
                    spec.put("image", "a/".repeat(v) + "b");
                    return "spec.image";
                }),
                of("image (missing)", true, Arbitraries.just(""), (spec, v) -> {
                    spec.remove("image");
                    return "spec.image";
                }),
                of("replicas", true, Invalid.outside(0, 100), (spec, v) -> set(spec, "replicas", v)),
                of("ports[0].containerPort", true, Invalid.outside(1, 65535), (spec, v) -> {
                    element(spec, "ports", 0).put("containerPort", v);
                    return "spec.ports[0].containerPort";
                }),
                of("ports[0].name", true, Invalid.portNames(), (spec, v) -> {
                    element(spec, "ports", 0).put("name", v);
                    return "spec.ports[0].name";
                }),
                of("ports[0].nodePort", true, Invalid.outside(30000, 32767), (spec, v) -> {
                    element(spec, "ports", 0).put("exposure", "NODE_PORT").put("nodePort", v);
                    return "spec.ports[0].nodePort";
                }),
                of(
                        "ports[0].nodePort (not NODE_PORT)",
                        false,
                        Arbitraries.integers().between(30000, 32767),
                        (spec, v) -> {
                            element(spec, "ports", 0).put("nodePort", v);
                            return "spec.ports[0].nodePort";
                        }),
                of("ports[0].protocol (UDP ingress)", false, Arbitraries.just("UDP"), (spec, v) -> {
                    element(spec, "ports", 0).put("protocol", v);
                    return "spec.ports[0].exposure";
                }),
                of("ports[0].protocol", true, Arbitraries.of("SCTP", "tcp", "Tcp"), (spec, v) -> {
                    element(spec, "ports", 0).put("protocol", v);
                    return "spec.ports[0].protocol";
                }),
                of("ports[].name (duplicate)", false, Arbitraries.just(""), (spec, v) -> {
                    ArrayNode ports = (ArrayNode) spec.get("ports");
                    ports.addObject()
                            .put("name", ports.get(0).get("name").asText())
                            .put("containerPort", unusedPort(ports));
                    return "spec.ports[" + (ports.size() - 1) + "].name";
                }),
                of("ingress.host", true, Invalid.hosts(), (spec, v) -> {
                    object(spec, "ingress").put("host", v);
                    return "spec.ingress.host";
                }),
                of("ingress.path", true, Invalid.httpPaths(), (spec, v) -> {
                    object(spec, "ingress").put("path", v);
                    return "spec.ingress.path";
                }),
                of("ingress.tlsIssuer", true, Invalid.subdomains(), (spec, v) -> {
                    object(spec, "ingress").put("tlsIssuer", v);
                    return "spec.ingress.tlsIssuer";
                }),
                of("resources.requests.cpu", true, Invalid.quantities(), (spec, v) -> {
                    object(object(spec, "resources"), "requests").put("cpu", v);
                    return "spec.resources.requests.cpu";
                }),
                of("resources.limits.memory", true, Invalid.quantities(), (spec, v) -> {
                    object(object(spec, "resources"), "limits").put("memory", v);
                    return "spec.resources.limits.memory";
                }),
                of(
                        "resources.limits.memory (millibytes)",
                        false,
                        Arbitraries.integers().between(1, 999999),
                        (spec, v) -> {
                            object(object(spec, "resources"), "limits").put("memory", v + "m");
                            return "spec.resources.limits.memory";
                        }),
                of(
                        "resources.requests.memory (above limit)",
                        false,
                        Arbitraries.integers().between(2, 64),
                        (spec, v) -> {
                            object(object(spec, "resources"), "requests").put("memory", v + "Gi");
                            object(object(spec, "resources"), "limits").put("memory", "1Gi");
                            return "spec.resources.requests.memory";
                        }),
                of("volumes[0].size", true, Invalid.quantities(), (spec, v) -> {
                    element(spec, "volumes", 0).put("size", v);
                    return "spec.volumes[0].size";
                }),
                of("volumes[0].size (zero)", false, Arbitraries.of("0", "0Gi", "0.0", "0e3"), (spec, v) -> {
                    element(spec, "volumes", 0).put("size", v);
                    return "spec.volumes[0].size";
                }),
                of("volumes[0].mountPath", true, Invalid.mountPaths(), (spec, v) -> {
                    element(spec, "volumes", 0).put("mountPath", v);
                    return "spec.volumes[0].mountPath";
                }),
                of("volumes[0].name", true, Invalid.dnsLabels(), (spec, v) -> {
                    element(spec, "volumes", 0).put("name", v);
                    return "spec.volumes[0].name";
                }),
                of("volumes[] (duplicate)", false, Arbitraries.just(""), (spec, v) -> {
                    ArrayNode volumes = (ArrayNode) spec.get("volumes");
                    volumes.add(volumes.get(0).deepCopy());
                    return "spec.volumes[" + (volumes.size() - 1) + "].name";
                }),
                of("probes.liveness.port (undeclared)", false, Arbitraries.just(""), (spec, v) -> {
                    object(object(spec, "probes"), "liveness").put("port", unusedPort((ArrayNode) spec.get("ports")));
                    return "spec.probes.liveness.port";
                }),
                of("probes.liveness.port", true, Invalid.outside(1, 65535), (spec, v) -> {
                    object(object(spec, "probes"), "liveness").put("port", v);
                    return "spec.probes.liveness.port";
                }),
                of("probes.liveness.periodSeconds", true, Invalid.outside(1, 3600), (spec, v) -> {
                    object(object(spec, "probes"), "liveness").put("periodSeconds", v);
                    return "spec.probes.liveness.periodSeconds";
                }),
                of("networkPolicy.allowFrom[0]", true, Invalid.dns1035Labels(), (spec, v) -> {
                    ((ArrayNode) object(spec, "networkPolicy").get("allowFrom")).set(0, TextNode.valueOf(v));
                    return "spec.networkPolicy.allowFrom[0]";
                }),
                of("env key", true, Invalid.envNames(), (spec, v) -> {
                    object(spec, "env").put(v, "value");
                    return JsonPaths.property("spec.env", v);
                }),
                of("env value (too long)", true, Arbitraries.integers().between(4097, 6000), (spec, v) -> {
                    object(spec, "env").put("LONG_VALUE", "x".repeat(v));
                    return "spec.env.LONG_VALUE";
                }),
                of("secretEnv key (also plain)", false, Arbitraries.just("SHARED_NAME"), (spec, v) -> {
                    object(spec, "env").put(v, "plain");
                    object(spec, "secretEnv").put(v, "secret");
                    return "spec.secretEnv." + v;
                }),
                of("command (too many)", true, Arbitraries.integers().between(51, 80), (spec, v) -> {
                    ArrayNode command = spec.putArray("command");
                    for (int i = 0; i < v; i++) {
                        command.add("x");
                    }
                    return "spec.command";
                }),
                of("labels key", true, Invalid.labelKeys(), (spec, v) -> {
                    object(spec, "labels").put(v, "value");
                    return JsonPaths.property("spec.labels", v);
                }),
                of("labels value", true, Invalid.labelValues(), (spec, v) -> {
                    object(spec, "labels").put("tier", v);
                    return "spec.labels.tier";
                }),
                of("labels key (reserved)", false, Invalid.reservedKeys(), (spec, v) -> {
                    object(spec, "labels").put(v, "x");
                    return JsonPaths.property("spec.labels", v);
                })));
    }

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

    /** Generators of values that break one rule each. */
    static final class Invalid {

        private Invalid() {}

        static Arbitrary<Integer> outside(int min, int max) {
            return Arbitraries.oneOf(
                    Arbitraries.integers().between(Integer.MIN_VALUE / 2, min - 1),
                    Arbitraries.integers().between(max + 1, Integer.MAX_VALUE / 2));
        }

        static Arbitrary<String> dnsLabels() {
            return Arbitraries.oneOf(
                    SpecArbitraries.dns1035Label().map(String::toUpperCase),
                    SpecArbitraries.dnsLabel().map(label -> "-" + label),
                    SpecArbitraries.dnsLabel().map(label -> label + "-"),
                    SpecArbitraries.dnsLabel().map(label -> label + "_x"),
                    SpecArbitraries.dnsLabel().map(label -> label + ".x"),
                    Arbitraries.just("a".repeat(64)),
                    Arbitraries.just(""));
        }

        static Arbitrary<String> dns1035Labels() {
            return Arbitraries.oneOf(dnsLabels(), SpecArbitraries.dnsLabel().map(label -> "9" + label));
        }

        static Arbitrary<String> subdomains() {
            return Arbitraries.oneOf(
                    SpecArbitraries.dnsSubdomain().map(String::toUpperCase).filter(s -> !s.equals(s.toLowerCase())),
                    SpecArbitraries.dnsSubdomain().map(s -> s + ".."),
                    SpecArbitraries.dnsSubdomain().map(s -> "-" + s),
                    SpecArbitraries.dnsSubdomain().map(s -> s + " x"));
        }

        static Arbitrary<String> images() {
            return Arbitraries.oneOf(
                    Arbitraries.just(""),
                    SpecArbitraries.dns1035Label().map(String::toUpperCase),
                    SpecArbitraries.images().map(image -> image + ":"),
                    SpecArbitraries.images().map(image -> image + " "),
                    SpecArbitraries.images().map(image -> "/" + image),
                    SpecArbitraries.images().map(image -> image + "@sha256:abc"),
                    SpecArbitraries.images().map(image -> image + "x".repeat(ImageReference.MAX_LENGTH)));
        }

        static Arbitrary<String> portNames() {
            return Arbitraries.oneOf(
                    SpecArbitraries.portNames().map(String::toUpperCase),
                    SpecArbitraries.portNames().map(name -> name + "--x"),
                    SpecArbitraries.portNames().map(name -> "-" + name),
                    Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5),
                    Arbitraries.just("abcdefghijklmnop"));
        }

        static Arbitrary<String> quantities() {
            return Arbitraries.oneOf(
                    Arbitraries.of(
                            "", "1.5cores", "abc", "-1", "+1", "1..5", "1 Gi", "0x10", "1MB", "256mi", "1e", "Mi"),
                    Arbitraries.integers().between(1, 999).map(i -> i + "XB"),
                    Arbitraries.integers().between(1, 999).map(i -> i + "Mi2"),
                    Arbitraries.just("1".repeat(40)));
        }

        static Arbitrary<String> mountPaths() {
            return Arbitraries.oneOf(
                    SpecArbitraries.dnsLabel(),
                    Arbitraries.just("/"),
                    SpecArbitraries.dnsLabel().map(s -> "/" + s + "/../etc"),
                    SpecArbitraries.dnsLabel().map(s -> "/" + s + ":x"),
                    SpecArbitraries.dnsLabel().map(s -> "/" + s + " x"));
        }

        static Arbitrary<String> hosts() {
            return Arbitraries.oneOf(
                    SpecArbitraries.hosts().map(String::toUpperCase),
                    Arbitraries.of("1.2.3.4", "10.0.0.1", "localhost."),
                    SpecArbitraries.hosts().map(host -> "-" + host),
                    SpecArbitraries.hosts().map(host -> "*." + host),
                    SpecArbitraries.hosts().map(host -> host.replace('.', '_')));
        }

        static Arbitrary<String> httpPaths() {
            return Arbitraries.oneOf(
                    SpecArbitraries.dnsLabel(),
                    SpecArbitraries.dnsLabel().map(s -> "/" + s + " x"),
                    SpecArbitraries.dnsLabel().map(s -> "/" + s + "/../x"),
                    Arbitraries.just("/" + "a".repeat(300)));
        }

        static Arbitrary<String> envNames() {
            return Arbitraries.oneOf(
                    SpecArbitraries.envNames().map(name -> "1" + name),
                    SpecArbitraries.envNames().map(name -> name + "-X"),
                    SpecArbitraries.envNames().map(name -> name + " "),
                    Arbitraries.just(""),
                    Arbitraries.just("A".repeat(129)));
        }

        static Arbitrary<String> labelKeys() {
            return Arbitraries.oneOf(
                    Arbitraries.of("a/b/c", "/x", "x/", "bad key", "x".repeat(64), "Example.com/x"),
                    SpecArbitraries.dnsLabel().map(key -> "-" + key),
                    SpecArbitraries.dnsLabel().map(key -> key + "_"));
        }

        static Arbitrary<String> labelValues() {
            return Arbitraries.of("-x", "x".repeat(64), "a b", "x_", "ünïcode");
        }

        static Arbitrary<String> reservedKeys() {
            return Arbitraries.of("app.kubernetes.io/name", "app.kubernetes.io/managed-by", "windlass.dev/revision");
        }
    }
}
