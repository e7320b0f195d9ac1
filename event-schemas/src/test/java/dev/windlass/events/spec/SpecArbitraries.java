package dev.windlass.events.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of valid specs, built constructively from the Kubernetes grammars (never by filtering through
 * the validator under test), so an over-strict validator shows up as a rejected valid spec.
 */
public final class SpecArbitraries {

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String DIGITS = "0123456789";
    private static final String HEX = "0123456789abcdef";

    private SpecArbitraries() {}

    /** Any valid spec, sparse or full. */
    public static Arbitrary<AppSpec> specs() {
        return specs(0);
    }

    /** Valid specs that have at least one of every list and every optional part. */
    public static Arbitrary<AppSpec> richSpecs() {
        return specs(1);
    }

    private static Arbitrary<AppSpec> specs(int minimum) {
        Arbitrary<List<PortSpec>> ports = ports(minimum);
        boolean rich = minimum > 0;
        return Combinators.combine(
                        dns1035Label(),
                        images(),
                        Arbitraries.integers().between(0, 100),
                        commands(),
                        commands(),
                        environments(),
                        ports,
                        Arbitraries.of(true, false))
                .flatAs((name, image, replicas, command, args, env, portList, ingressWanted) -> {
                    boolean withIngress = (rich || ingressWanted) && !portList.isEmpty();
                    List<PortSpec> finalPorts = withIngress ? routeFirstPortThroughIngress(portList) : portList;
                    return Combinators.combine(
                                    optional(ingresses(), withIngress, true),
                                    optional(resources(), rich, false),
                                    volumes(minimum),
                                    optional(
                                            probes(finalPorts),
                                            rich && hasTcpPort(finalPorts),
                                            !hasTcpPort(finalPorts)),
                                    optional(networkPolicies(minimum), rich, false),
                                    labels(minimum),
                                    annotations(minimum))
                            .as((ingress, resources, volumes, probes, policy, labels, annotations) -> new AppSpec(
                                    name,
                                    image,
                                    replicas,
                                    command,
                                    args,
                                    env.get(0),
                                    env.get(1),
                                    finalPorts,
                                    ingress,
                                    resources,
                                    volumes,
                                    probes,
                                    policy,
                                    labels,
                                    annotations));
                });
    }

    /** An arbitrary that is always present ({@code always}), never present ({@code never}), or either. */
    private static <T> Arbitrary<T> optional(Arbitrary<T> value, boolean always, boolean never) {
        if (never && !always) {
            return Arbitraries.just(null);
        }
        return always ? value : Arbitraries.oneOf(value, Arbitraries.just(null));
    }

    // ---- names

    /** RFC 1123 label: [a-z0-9], optionally [-a-z0-9]{0,61} and a final [a-z0-9]. */
    public static Arbitrary<String> dnsLabel() {
        return label(LOWER + DIGITS, 63);
    }

    /** RFC 1035 label: like {@link #dnsLabel()} but starting with a letter. */
    public static Arbitrary<String> dns1035Label() {
        return label(LOWER, 63);
    }

    private static Arbitrary<String> label(String firstChars, int maxLength) {
        Arbitrary<String> first = Arbitraries.strings().withChars(firstChars).ofLength(1);
        Arbitrary<String> middle =
                Arbitraries.strings().withChars(LOWER + DIGITS + "-").ofMaxLength(Math.min(maxLength - 2, 12));
        Arbitrary<String> last = Arbitraries.strings().withChars(LOWER + DIGITS).ofLength(1);
        Arbitrary<String> longer = Combinators.combine(first, middle, last).as((f, m, l) -> f + m + l);
        Arbitrary<String> maximal = Combinators.combine(first, last).as((f, l) -> f + "x".repeat(maxLength - 2) + l);
        return Arbitraries.frequencyOf(Tuple.of(2, first), Tuple.of(8, longer), Tuple.of(1, maximal));
    }

    public static Arbitrary<String> dnsSubdomain() {
        return dnsLabel().list().ofMinSize(1).ofMaxSize(3).map(labels -> String.join(".", labels));
    }

    /** Ingress hosts: subdomains with at least one letter, so never an IP address. */
    public static Arbitrary<String> hosts() {
        return Combinators.combine(dnsLabel().list().ofMinSize(1).ofMaxSize(2), dns1035Label())
                .as((labels, tld) -> String.join(".", labels) + "." + tld);
    }

    /** IANA service names: a letter, up to 6 more characters, optionally '-' and up to 7 more. */
    public static Arbitrary<String> portNames() {
        Arbitrary<String> head = Combinators.combine(
                        Arbitraries.strings().withChars(LOWER).ofLength(1),
                        Arbitraries.strings().withChars(LOWER + DIGITS).ofMaxLength(6))
                .as(String::concat);
        Arbitrary<String> tail =
                Arbitraries.strings().withChars(LOWER + DIGITS).ofMinLength(1).ofMaxLength(7);
        return Arbitraries.oneOf(head, Combinators.combine(head, tail).as((h, t) -> h + "-" + t));
    }

    public static Arbitrary<String> envNames() {
        return Combinators.combine(
                        Arbitraries.strings()
                                .withChars(LOWER.toUpperCase() + "_")
                                .ofLength(1),
                        Arbitraries.strings()
                                .withChars(LOWER.toUpperCase() + DIGITS + "_")
                                .ofMaxLength(20))
                .as(String::concat);
    }

    /** Text of any kind, control characters and non-ASCII included (but no lone surrogates). */
    public static Arbitrary<String> text(int maxLength) {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\ud7ff')
                .withCharRange('\ue000', '\ufffd')
                .ofMaxLength(maxLength);
    }

    // ---- images

    public static Arbitrary<String> images() {
        Arbitrary<String> registry = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.of(
                        "ghcr.io/", "docker.io/", "registry.example.com:5000/", "localhost:5000/", "[::1]:5000/"),
                hosts().map(host -> host + "/"));
        Arbitrary<String> component = Combinators.combine(
                        Arbitraries.strings()
                                .withChars(LOWER + DIGITS)
                                .ofMinLength(1)
                                .ofMaxLength(8),
                        Arbitraries.of("", ".", "_", "__", "-", "--"),
                        Arbitraries.strings()
                                .withChars(LOWER + DIGITS)
                                .ofMinLength(1)
                                .ofMaxLength(8))
                .as((a, separator, b) -> separator.isEmpty() ? a : a + separator + b);
        Arbitrary<String> repository =
                component.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts));
        Arbitrary<String> tag = Combinators.combine(
                        Arbitraries.strings()
                                .withChars(LOWER + LOWER.toUpperCase() + DIGITS + "_")
                                .ofLength(1),
                        Arbitraries.strings().withChars(LOWER + DIGITS + "_.-").ofMaxLength(20))
                .as((first, rest) -> ":" + first + rest);
        Arbitrary<String> digest =
                Arbitraries.strings().withChars(HEX).ofLength(64).map(hex -> "@sha256:" + hex);
        return Combinators.combine(
                        registry,
                        repository,
                        Arbitraries.oneOf(tag, Arbitraries.just("")),
                        Arbitraries.oneOf(digest, Arbitraries.just("")))
                .as((r, repo, t, d) -> r + repo + t + d);
    }

    // ---- lists and maps

    private static Arbitrary<List<String>> commands() {
        return text(40).list().ofMaxSize(5);
    }

    /** Plain and secret variables with disjoint names: element 0 is env, element 1 secretEnv. */
    private static Arbitrary<List<Map<String, String>>> environments() {
        return Arbitraries.maps(envNames(), text(60))
                .ofMaxSize(8)
                .map(LinkedHashMap::new)
                .flatMap(plain -> Arbitraries.maps(envNames().filter(name -> !plain.containsKey(name)), text(60))
                        .ofMaxSize(4)
                        .map(secret -> List.<Map<String, String>>of(plain, new LinkedHashMap<>(secret))));
    }

    private static Arbitrary<List<PortSpec>> ports(int minimum) {
        Arbitrary<PortSpec> port = Combinators.combine(
                        portNames(),
                        Arbitraries.integers().between(1, 65535),
                        Arbitraries.of(PortProtocol.class),
                        Arbitraries.of(Exposure.CLUSTER, Exposure.LOAD_BALANCER, Exposure.NODE_PORT),
                        Arbitraries.integers().between(30000, 32767).injectNull(0.5))
                .as((name, number, protocol, exposure, nodePort) -> new PortSpec(
                        name, number, protocol, exposure, exposure == Exposure.NODE_PORT ? nodePort : null));
        return port.list()
                .ofMinSize(minimum)
                .ofMaxSize(5)
                .uniqueElements(PortSpec::name)
                .uniqueElements(PortSpec::containerPort)
                .uniqueElements(p ->
                        p.nodePort() == null ? "none-" + p.name() : p.nodePort().toString());
    }

    private static List<PortSpec> routeFirstPortThroughIngress(List<PortSpec> ports) {
        List<PortSpec> routed = new ArrayList<>(ports);
        PortSpec first = ports.get(0);
        routed.set(0, new PortSpec(first.name(), first.containerPort(), PortProtocol.TCP, Exposure.INGRESS, null));
        return routed;
    }

    private static boolean hasTcpPort(List<PortSpec> ports) {
        return ports.stream().anyMatch(port -> port.protocol() == PortProtocol.TCP);
    }

    private static Arbitrary<IngressSpec> ingresses() {
        Arbitrary<String> path = Arbitraries.strings()
                .withChars(LOWER + DIGITS + "-_~")
                .ofMaxLength(10)
                .list()
                .ofMaxSize(3)
                .map(parts -> "/" + String.join("/", parts));
        return Combinators.combine(
                        hosts(),
                        path,
                        dnsSubdomain().injectNull(0.5),
                        dnsSubdomain().injectNull(0.5),
                        Arbitraries.of(true, false))
                .as(IngressSpec::new);
    }

    private static Arbitrary<ResourcesSpec> resources() {
        Arbitrary<long[]> cpuMillis = Combinators.combine(
                        Arbitraries.longs().between(1, 16000),
                        Arbitraries.longs().between(1, 4))
                .as((request, factor) -> new long[] {request, request * factor});
        Arbitrary<ResourceAmounts[]> cpu = cpuMillis.map(pair -> new ResourceAmounts[] {
            new ResourceAmounts(millis(pair[0]), null), new ResourceAmounts(millis(pair[1]), null)
        });
        Arbitrary<String[]> memory = Combinators.combine(
                        Arbitraries.longs().between(1, 4096),
                        Arbitraries.longs().between(1, 4),
                        Arbitraries.of("Ki", "Mi", "Gi", "M", "G", ""))
                .as((request, factor, unit) -> new String[] {request + unit, request * factor + unit});
        return Combinators.combine(cpu, memory, Arbitraries.integers().between(0, 3))
                .as((c, m, shape) -> switch (shape) {
                    case 0 ->
                        new ResourcesSpec(new ResourceAmounts(c[0].cpu(), m[0]), new ResourceAmounts(c[1].cpu(), m[1]));
                    case 1 -> new ResourcesSpec(new ResourceAmounts(c[0].cpu(), m[0]), null);
                    case 2 -> new ResourcesSpec(null, new ResourceAmounts(c[1].cpu(), m[1]));
                    default ->
                        new ResourcesSpec(new ResourceAmounts(null, m[0]), new ResourceAmounts(c[1].cpu(), null));
                });
    }

    /** CPU in the forms people write: 250m, 2, 1.5. */
    private static String millis(long millis) {
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return millis % 100 == 0 ? (millis / 1000) + "." + (millis % 1000) / 100 : millis + "m";
    }

    private static Arbitrary<List<VolumeSpec>> volumes(int minimum) {
        Arbitrary<VolumeSpec> volume = Combinators.combine(
                        dnsLabel(),
                        Arbitraries.integers().between(1, 500),
                        Arbitraries.of("Gi", "Mi", "Ti", "G"),
                        dnsSubdomain().injectNull(0.5))
                .as((name, size, unit, storageClass) ->
                        new VolumeSpec(name, "/data/" + name, size + unit, storageClass));
        return volume.list().ofMinSize(minimum).ofMaxSize(3).uniqueElements(VolumeSpec::name);
    }

    private static Arbitrary<ProbesSpec> probes(List<PortSpec> ports) {
        List<Integer> tcpPorts = ports.stream()
                .filter(port -> port.protocol() == PortProtocol.TCP)
                .map(PortSpec::containerPort)
                .collect(Collectors.toList());
        if (tcpPorts.isEmpty()) {
            return Arbitraries.just(null);
        }
        Arbitrary<ProbeSpec> probe = Combinators.combine(
                        Arbitraries.of(ProbeType.class),
                        Arbitraries.of(tcpPorts),
                        Arbitraries.integers().between(0, 3600),
                        Arbitraries.integers().between(1, 3600))
                .as((type, port, delay, period) ->
                        new ProbeSpec(type, type == ProbeType.HTTP ? "/healthz" : null, port, delay, period));
        return Combinators.combine(probe, probe.injectNull(0.3)).as(ProbesSpec::new);
    }

    private static Arbitrary<NetworkPolicySpec> networkPolicies(int minimum) {
        return dns1035Label()
                .list()
                .ofMinSize(minimum)
                .ofMaxSize(5)
                .uniqueElements()
                .map(NetworkPolicySpec::new);
    }

    private static Arbitrary<String> labelKeys() {
        Arbitrary<String> name = Combinators.combine(
                        Arbitraries.strings().withChars(LOWER + DIGITS).ofLength(1),
                        Arbitraries.strings()
                                .withChars(LOWER + LOWER.toUpperCase() + DIGITS + "-_.")
                                .ofMaxLength(10),
                        Arbitraries.strings().withChars(LOWER + DIGITS).ofLength(1))
                .as((a, b, c) -> a + b + c);
        return Combinators.combine(
                        Arbitraries.oneOf(dnsSubdomain().map(prefix -> prefix + "/"), Arbitraries.just("")), name)
                .as(String::concat)
                .filter(key -> !key.startsWith("windlass.dev/") && !key.startsWith("app.kubernetes.io/"));
    }

    private static Arbitrary<String> labelValues() {
        return Arbitraries.oneOf(Arbitraries.just(""), labelKeys().map(key -> key.substring(key.indexOf('/') + 1)));
    }

    private static Arbitrary<Map<String, String>> labels(int minimum) {
        return Arbitraries.maps(labelKeys(), labelValues()).ofMinSize(minimum).ofMaxSize(5);
    }

    private static Arbitrary<Map<String, String>> annotations(int minimum) {
        return Arbitraries.maps(labelKeys(), text(80)).ofMinSize(minimum).ofMaxSize(5);
    }
}
