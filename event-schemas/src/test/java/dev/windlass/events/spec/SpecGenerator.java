package dev.windlass.events.spec;

import dev.windlass.events.RandomValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Random valid specs from a seed, built constructively from the Kubernetes grammars (never by filtering
 * through the validator under test), so an over-strict validator shows up as a rejected valid spec.
 */
public final class SpecGenerator extends RandomValues {

    private static final List<String> REGISTRIES =
            List.of("ghcr.io/", "docker.io/", "registry.example.com:5000/", "localhost:5000/", "[::1]:5000/");

    public SpecGenerator(long seed) {
        super(seed);
    }

    /** Any valid spec, sparse or full. */
    public AppSpec spec() {
        return spec(0);
    }

    /** A valid spec that has at least one of every list and every optional part. */
    public AppSpec richSpec() {
        return spec(1);
    }

    private AppSpec spec(int minimum) {
        boolean rich = minimum > 0;
        String name = dns1035Label();
        String image = image();
        int replicas = intBetween(0, SpecLimits.MAX_REPLICAS);
        List<String> command = command();
        List<String> args = command();
        Map<String, String> env = map(0, 8, this::envName, () -> text(60));
        Map<String, String> secretEnv = map(0, 4, () -> secretEnvName(env), () -> text(60));
        List<PortSpec> ports = ports(minimum);
        boolean withIngress = (rich || bool()) && !ports.isEmpty();
        List<PortSpec> finalPorts = withIngress ? routeFirstPortThroughIngress(ports) : ports;
        IngressSpec ingress = withIngress ? ingress() : null;
        ResourcesSpec resources = rich ? resources() : orNull(0.5, this::resources);
        List<VolumeSpec> volumes = volumes(minimum);
        ProbesSpec probes;
        if (!hasTcpPort(finalPorts)) {
            probes = null;
        } else {
            probes = rich ? probes(finalPorts) : orNull(0.5, () -> probes(finalPorts));
        }
        NetworkPolicySpec policy = rich ? networkPolicy(minimum) : orNull(0.5, () -> networkPolicy(minimum));
        Map<String, String> labels = map(minimum, 5, this::labelKey, this::labelValue);
        Map<String, String> annotations = map(minimum, 5, this::labelKey, () -> text(80));
        return new AppSpec(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                finalPorts,
                ingress,
                resources,
                volumes,
                probes,
                policy,
                labels,
                annotations);
    }

    // ---- names

    /** RFC 1123 label: [a-z0-9], optionally [-a-z0-9]{0,61} and a final [a-z0-9]. */
    public String dnsLabel() {
        return label(LOWER + DIGITS, 63);
    }

    /** RFC 1035 label: like {@link #dnsLabel()} but starting with a letter. */
    public String dns1035Label() {
        return label(LOWER, 63);
    }

    /** One character (2 in 11), a short label (8 in 11) or one of the maximal length (1 in 11). */
    private String label(String firstChars, int maxLength) {
        int shape = index(11);
        String first = string(firstChars, 1);
        if (shape < 2) {
            return first;
        }
        String last = string(LOWER + DIGITS, 1);
        if (shape == 10) {
            return first + "x".repeat(maxLength - 2) + last;
        }
        return first + string(LOWER + DIGITS + "-", 0, Math.min(maxLength - 2, 12)) + last;
    }

    public String dnsSubdomain() {
        return String.join(".", list(1, 3, this::dnsLabel));
    }

    /** Ingress hosts: subdomains with at least one letter, so never an IP address. */
    public String host() {
        return String.join(".", list(1, 2, this::dnsLabel)) + "." + dns1035Label();
    }

    /** IANA service names: a letter, up to 6 more characters, optionally '-' and up to 7 more. */
    public String portName() {
        String head = string(LOWER, 1) + string(LOWER + DIGITS, 0, 6);
        return bool() ? head : head + "-" + string(LOWER + DIGITS, 1, 7);
    }

    public String envName() {
        return string(UPPER + "_", 1) + string(UPPER + DIGITS + "_", 0, 20);
    }

    /** A variable name that is not a key of {@code plain}. */
    private String secretEnvName(Map<String, String> plain) {
        String name = envName();
        while (plain.containsKey(name)) {
            name = envName();
        }
        return name;
    }

    // ---- images

    /** Image references: optional registry, one to three path components, optional tag and digest. */
    public String image() {
        String registry = oneOf(() -> "", () -> pick(REGISTRIES), () -> host() + "/");
        String repository = String.join("/", list(1, 3, this::imageComponent));
        String tag =
                bool() ? ":" + string(LOWER + UPPER + DIGITS + "_", 1) + string(LOWER + DIGITS + "_.-", 0, 20) : "";
        String digest = bool() ? "@sha256:" + string(HEX, 64) : "";
        return registry + repository + tag + digest;
    }

    private String imageComponent() {
        String first = string(LOWER + DIGITS, 1, 8);
        String separator = pick("", ".", "_", "__", "-", "--");
        String second = string(LOWER + DIGITS, 1, 8);
        return separator.isEmpty() ? first : first + separator + second;
    }

    // ---- parts of a spec

    private List<String> command() {
        return list(0, 5, () -> text(40));
    }

    /** Unique names, container ports and node ports; a node port only where exposure is NODE_PORT. */
    private List<PortSpec> ports(int minimum) {
        return uniqueList(
                minimum,
                5,
                this::port,
                PortSpec::name,
                PortSpec::containerPort,
                port -> port.nodePort() == null
                        ? "none-" + port.name()
                        : port.nodePort().toString());
    }

    private PortSpec port() {
        String name = portName();
        int number = intBetween(1, 65535);
        PortProtocol protocol = pick(PortProtocol.class);
        Exposure exposure = pick(Exposure.CLUSTER, Exposure.LOAD_BALANCER, Exposure.NODE_PORT);
        Integer nodePort = orNull(0.5, () -> intBetween(SpecLimits.MIN_NODE_PORT, SpecLimits.MAX_NODE_PORT));
        return new PortSpec(name, number, protocol, exposure, exposure == Exposure.NODE_PORT ? nodePort : null);
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

    private IngressSpec ingress() {
        String host = host();
        String path = "/" + String.join("/", list(0, 3, () -> string(LOWER + DIGITS + "-_~", 0, 10)));
        String className = orNull(0.5, this::dnsSubdomain);
        String tlsIssuer = orNull(0.5, this::dnsSubdomain);
        return new IngressSpec(host, path, className, tlsIssuer, bool());
    }

    /** Requests at or below limits, in the shapes people write: both, requests only, limits only, mixed. */
    private ResourcesSpec resources() {
        long cpuRequest = longBetween(1, 16000);
        long cpuLimit = cpuRequest * longBetween(1, 4);
        long memoryRequest = longBetween(1, 4096);
        long memoryLimit = memoryRequest * longBetween(1, 4);
        String unit = pick("Ki", "Mi", "Gi", "M", "G", "");
        ResourceAmounts requests = new ResourceAmounts(millis(cpuRequest), memoryRequest + unit);
        ResourceAmounts limits = new ResourceAmounts(millis(cpuLimit), memoryLimit + unit);
        return switch (intBetween(0, 3)) {
            case 0 -> new ResourcesSpec(requests, limits);
            case 1 -> new ResourcesSpec(requests, null);
            case 2 -> new ResourcesSpec(null, limits);
            default ->
                new ResourcesSpec(
                        new ResourceAmounts(null, requests.memory()), new ResourceAmounts(limits.cpu(), null));
        };
    }

    /** CPU in the forms people write: 250m, 2, 1.5. */
    private static String millis(long millis) {
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return millis % 100 == 0 ? (millis / 1000) + "." + (millis % 1000) / 100 : millis + "m";
    }

    private List<VolumeSpec> volumes(int minimum) {
        return uniqueList(minimum, 3, this::volume, VolumeSpec::name);
    }

    private VolumeSpec volume() {
        String name = dnsLabel();
        String size = intBetween(1, 500) + pick("Gi", "Mi", "Ti", "G");
        return new VolumeSpec(name, "/data/" + name, size, orNull(0.5, this::dnsSubdomain));
    }

    /** Probes on the spec's TCP ports; there must be at least one. */
    private ProbesSpec probes(List<PortSpec> ports) {
        List<Integer> tcpPorts = ports.stream()
                .filter(port -> port.protocol() == PortProtocol.TCP)
                .map(PortSpec::containerPort)
                .toList();
        return new ProbesSpec(probe(tcpPorts), orNull(0.3, () -> probe(tcpPorts)));
    }

    private ProbeSpec probe(List<Integer> tcpPorts) {
        ProbeType type = pick(ProbeType.class);
        return new ProbeSpec(
                type,
                type == ProbeType.HTTP ? "/healthz" : null,
                pick(tcpPorts),
                intBetween(0, SpecLimits.MAX_PROBE_SECONDS),
                intBetween(1, SpecLimits.MAX_PROBE_SECONDS));
    }

    private NetworkPolicySpec networkPolicy(int minimum) {
        return new NetworkPolicySpec(uniqueList(minimum, 5, this::dns1035Label));
    }

    /** Label and annotation keys: an optional subdomain prefix and a name, never a reserved prefix. */
    private String labelKey() {
        String key;
        do {
            String prefix = bool() ? dnsSubdomain() + "/" : "";
            key = prefix + labelName();
        } while (key.startsWith("windlass.dev/") || key.startsWith("app.kubernetes.io/"));
        return key;
    }

    private String labelName() {
        return string(LOWER + DIGITS, 1) + string(LOWER + UPPER + DIGITS + "-_.", 0, 10) + string(LOWER + DIGITS, 1);
    }

    private String labelValue() {
        return bool() ? "" : labelName();
    }
}
