package dev.windlass.registry.service;

import static dev.windlass.registry.domain.CredentialField.CA_CERTIFICATE;
import static dev.windlass.registry.domain.CredentialField.CLIENT_CERTIFICATE;
import static dev.windlass.registry.domain.CredentialField.CLIENT_KEY;
import static dev.windlass.registry.domain.CredentialField.TOKEN;

import dev.windlass.cluster.ClientKeys;
import dev.windlass.cluster.CredentialsException;
import dev.windlass.cluster.Pem;
import dev.windlass.common.access.Destination;
import dev.windlass.common.access.Destinations;
import dev.windlass.registry.config.RegistryConfig;
import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.domain.OrchestratorType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every rule an orchestrator configuration must follow. Collects all violations, each naming the API field and the
 * rule, and never quotes a credential.
 */
@ApplicationScoped
public class OrchestratorValidator {

    /** RFC 1123 label, as Kubernetes names namespaces. */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    static final int MAX_LABEL = 63;
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_URL = 2048;
    static final int MAX_TOKEN = 16 * 1024;
    static final int MAX_PEM = 64 * 1024;
    static final int MAX_GROUP = 256;
    static final int MAX_GROUPS = 100;
    static final String DEFAULT_NAMESPACE = "default";

    private static final Map<AuthType, Set<CredentialField>> APPLICABLE = Map.of(
            AuthType.IN_CLUSTER, EnumSet.noneOf(CredentialField.class),
            AuthType.TOKEN, EnumSet.of(TOKEN, CA_CERTIFICATE),
            AuthType.CERTIFICATE, EnumSet.of(CLIENT_CERTIFICATE, CLIENT_KEY, CA_CERTIFICATE));

    private final boolean allowInsecureHttp;
    private final boolean allowSkipTlsVerifyInProd;

    @Inject
    public OrchestratorValidator(RegistryConfig config) {
        this(config.allowInsecureHttp(), config.allowSkipTlsVerifyInProd());
    }

    public OrchestratorValidator(boolean allowInsecureHttp, boolean allowSkipTlsVerifyInProd) {
        this.allowInsecureHttp = allowInsecureHttp;
        this.allowSkipTlsVerifyInProd = allowSkipTlsVerifyInProd;
    }

    /** The credentials an auth type uses. */
    public static Set<CredentialField> applicable(AuthType authType) {
        return APPLICABLE.get(authType);
    }

    /**
     * Checks {@code input} with the credentials that would be in effect ({@code effective}: given ones, or kept ones
     * on update). {@code given} are the credentials the request itself set to a non-empty value; a given credential
     * the auth type does not use is an error, a kept one is dropped.
     *
     * @throws ValidationFailedException naming every broken rule
     */
    public ValidOrchestrator validate(
            OrchestratorInput input, Map<CredentialField, String> effective, Set<CredentialField> given) {
        List<Violation> violations = new ArrayList<>();

        String name = input.name();
        if (isBlank(name)) {
            violations.add(required("name"));
        } else if (dev.windlass.common.identity.OrchestratorRef.isId(name)) {
            violations.add(new Violation(
                    "name",
                    "not-an-id",
                    "name must not have the form of an orchestrator id (a UUID): requests may name an orchestrator by"
                            + " either"));
        } else {
            dnsLabel("name", name, violations);
        }
        String description = emptyToNull(input.description());
        if (description != null && description.length() > MAX_DESCRIPTION) {
            violations.add(tooLong("description", MAX_DESCRIPTION));
        } else if (description != null && hasNul(description)) {
            violations.add(nulCharacter("description"));
        }
        Environment environment = oneOf(
                "environment",
                input.environment(),
                Environment::fromValue,
                values(Arrays.stream(Environment.values())
                        .map(Environment::value)
                        .toList()),
                violations);
        OrchestratorType type = oneOf(
                "type",
                input.type(),
                v -> enumValue(OrchestratorType.class, v),
                values(Arrays.stream(OrchestratorType.values()).map(Enum::name).toList()),
                violations);
        AuthType authType = oneOf(
                "authType",
                input.authType(),
                v -> enumValue(AuthType.class, v),
                values(Arrays.stream(AuthType.values()).map(Enum::name).toList()),
                violations);

        String apiServerUrl = null;
        if (authType != AuthType.IN_CLUSTER) {
            apiServerUrl = emptyToNull(input.apiServerUrl());
            checkUrl(apiServerUrl, violations);
        }

        Map<CredentialField, String> credentials = new EnumMap<>(CredentialField.class);
        if (authType != null) {
            Set<CredentialField> applicable = applicable(authType);
            for (CredentialField field : CredentialField.values()) {
                String value = emptyToNull(effective.get(field));
                if (value == null) {
                    continue;
                }
                if (applicable.contains(field)) {
                    credentials.put(field, value);
                } else if (given.contains(field)) {
                    violations.add(new Violation(
                            field.fieldName(),
                            "not-applicable",
                            field.fieldName() + " is not used with authType " + authType + "; leave it out"));
                }
            }
            checkCredentials(authType, credentials, violations);
        }

        boolean skipTlsVerify = Boolean.TRUE.equals(input.skipTlsVerify());
        if (skipTlsVerify) {
            if (authType == AuthType.IN_CLUSTER) {
                violations.add(new Violation(
                        "skipTlsVerify", "not-applicable", "skipTlsVerify is not used with authType IN_CLUSTER"));
            }
            if (credentials.containsKey(CA_CERTIFICATE)) {
                violations.add(new Violation(
                        "skipTlsVerify",
                        "conflicts-with-ca-certificate",
                        "skipTlsVerify contradicts caCertificatePem: either verify against the CA or skip"
                                + " verification"));
            }
            if (environment == Environment.PROD && !allowSkipTlsVerifyInProd) {
                violations.add(new Violation(
                        "skipTlsVerify",
                        "not-allowed-in-prod",
                        "skipTlsVerify is refused for prod orchestrators"
                                + " (windlass.registry.allow-skip-tls-verify-in-prod is off)"));
            }
        }

        String metalLbIpRange = emptyToNull(input.metalLbIpRange());
        if (metalLbIpRange != null) {
            if (type != null && type != OrchestratorType.K3S) {
                violations.add(new Violation(
                        "metalLbIpRange", "only-for-k3s", "metalLbIpRange is only used for K3S orchestrators"));
            } else {
                IpRanges.check("metalLbIpRange", metalLbIpRange).ifPresent(violations::add);
            }
            metalLbIpRange = metalLbIpRange.strip();
        }

        String authentikOutpostUrl = null;
        if (!isBlank(input.authentikOutpostUrl())) {
            authentikOutpostUrl = checkOutpostUrl(input.authentikOutpostUrl().strip(), violations);
        }

        String defaultNamespace = emptyToNull(input.defaultNamespace());
        if (defaultNamespace == null) {
            defaultNamespace = DEFAULT_NAMESPACE;
        } else {
            dnsLabel("defaultNamespace", defaultNamespace, violations);
        }

        List<String> groups;
        List<Destination> destinations;
        if (input.destinations() != null) {
            destinations = input.destinations();
            if (input.allowedGroups() != null && !input.allowedGroups().isEmpty()) {
                violations.add(
                        new Violation(
                                "allowedGroups",
                                "conflict",
                                "give destinations or allowedGroups, not both: the allowed groups are the destinations' groups"));
            }
            checkDestinations(destinations, violations);
            groups = Destinations.groups(destinations);
        } else {
            groups = input.allowedGroups() == null ? List.of() : input.allowedGroups();
            checkGroups(groups, violations);
            destinations = Destinations.everywhereFor(groups);
        }

        if (!violations.isEmpty()) {
            throw new ValidationFailedException(violations);
        }
        return new ValidOrchestrator(
                name,
                description,
                environment,
                type,
                apiServerUrl,
                authType,
                credentials,
                skipTlsVerify,
                metalLbIpRange,
                authentikOutpostUrl,
                defaultNamespace,
                List.copyOf(groups),
                List.copyOf(destinations));
    }

    private static void checkDestinations(List<Destination> destinations, List<Violation> violations) {
        if (destinations.size() > Destinations.MAX_DESTINATIONS) {
            violations.add(new Violation(
                    "destinations",
                    "max-items",
                    "destinations may list at most " + Destinations.MAX_DESTINATIONS + " entries"));
            return;
        }
        for (int i = 0; i < destinations.size(); i++) {
            String at = "destinations[" + i + "]";
            Destination destination = destinations.get(i);
            if (destination == null) {
                violations.add(new Violation(at, "required", at + " must not be null"));
                continue;
            }
            List<String> patterns = destination.namespaces();
            if (patterns.isEmpty() || patterns.size() > Destinations.MAX_PATTERNS) {
                violations.add(new Violation(
                        at + ".namespaces",
                        patterns.isEmpty() ? "required" : "max-items",
                        at + ".namespaces must list 1 to " + Destinations.MAX_PATTERNS + " namespaces or patterns"));
            }
            for (int j = 0; j < patterns.size(); j++) {
                String field = at + ".namespaces[" + j + "]";
                String problem =
                        Destinations.patternProblem(patterns.get(j), null).orElse(null);
                if (problem != null) {
                    violations.add(new Violation(field, "namespace-pattern", field + " " + problem));
                }
            }
            List<String> hosts = destination.hosts();
            if (hosts.size() > Destinations.MAX_HOSTS) {
                violations.add(new Violation(
                        at + ".hosts",
                        "max-items",
                        at + ".hosts may list at most " + Destinations.MAX_HOSTS + " hosts or suffixes"));
            }
            for (int j = 0; j < hosts.size(); j++) {
                String field = at + ".hosts[" + j + "]";
                String problem = Destinations.hostPatternProblem(hosts.get(j)).orElse(null);
                if (problem != null) {
                    violations.add(new Violation(field, "host-pattern", field + " " + problem));
                }
            }
            if (destination.groups().isEmpty()) {
                violations.add(new Violation(at + ".groups", "required", at + ".groups must name at least one group"));
            }
            List<Violation> groupViolations = new ArrayList<>();
            checkGroups(destination.groups(), groupViolations);
            groupViolations.forEach(v -> violations.add(new Violation(
                    v.field().replace("allowedGroups", at + ".groups"),
                    v.rule(),
                    v.message().replace("allowedGroups", at + ".groups"))));
        }
    }

    private void checkUrl(String url, List<Violation> violations) {
        if (url == null) {
            violations.add(required("apiServerUrl"));
            return;
        }
        if (url.length() > MAX_URL) {
            violations.add(tooLong("apiServerUrl", MAX_URL));
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            violations.add(malformedUrl());
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && allowInsecureHttp)) {
            violations.add(new Violation(
                    "apiServerUrl",
                    "https-required",
                    scheme.equals("http")
                            ? "apiServerUrl must use https (http needs windlass.registry.allow-insecure-http)"
                            : "apiServerUrl must be an https URL"));
            return;
        }
        if (uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            violations.add(malformedUrl());
        }
    }

    /**
     * An outpost URL is where Traefik, inside the cluster, sends forward-auth requests: plain http to an in-cluster
     * Service is the usual form, so http is allowed whatever {@code allow-insecure-http} says (Windlass never calls it).
     * Returned without a trailing slash; Windlass appends Authentik's Traefik path.
     */
    private static String checkOutpostUrl(String url, List<Violation> violations) {
        String field = "authentikOutpostUrl";
        if (url.length() > MAX_URL) {
            violations.add(tooLong(field, MAX_URL));
            return url;
        }
        URI uri = null;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // reported below
        }
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (uri == null
                || !(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            violations.add(new Violation(
                    field,
                    "malformed-url",
                    "authentikOutpostUrl must be an http or https URL such as"
                            + " http://ak-outpost-authentik-embedded-outpost.authentik:9000, with a host and without"
                            + " user info, query or fragment"));
            return url;
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static Violation malformedUrl() {
        return new Violation(
                "apiServerUrl",
                "malformed-url",
                "apiServerUrl must be a URL such as https://10.0.0.10:6443, with a host and without user info, query"
                        + " or fragment");
    }

    private static void checkCredentials(
            AuthType authType, Map<CredentialField, String> credentials, List<Violation> violations) {
        for (Map.Entry<CredentialField, String> entry : credentials.entrySet()) {
            int max = entry.getKey() == TOKEN ? MAX_TOKEN : MAX_PEM;
            if (entry.getValue().length() > max) {
                violations.add(tooLong(entry.getKey().fieldName(), max));
            }
        }
        if (authType == AuthType.TOKEN) {
            String token = credentials.get(TOKEN);
            if (token == null) {
                violations.add(new Violation("token", "required", "authType TOKEN needs a token"));
            } else if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                violations.add(new Violation(
                        "token", "invalid-characters", "token must be printable ASCII without spaces or line breaks"));
            }
        }
        X509Certificate certificate = null;
        PrivateKey key = null;
        if (authType == AuthType.CERTIFICATE) {
            String certPem = credentials.get(CLIENT_CERTIFICATE);
            if (certPem == null) {
                violations.add(new Violation(
                        "clientCertificatePem", "required", "authType CERTIFICATE needs a client certificate"));
            } else {
                try {
                    certificate = Pem.certificates(certPem).get(0);
                } catch (Pem.PemException e) {
                    violations.add(
                            new Violation("clientCertificatePem", e.rule(), "clientCertificatePem: " + e.getMessage()));
                }
            }
            String keyPem = credentials.get(CLIENT_KEY);
            if (keyPem == null) {
                violations.add(new Violation("clientKeyPem", "required", "authType CERTIFICATE needs a client key"));
            } else {
                try {
                    key = Pem.privateKey(keyPem);
                    ClientKeys.read(keyPem);
                } catch (Pem.PemException e) {
                    violations.add(new Violation("clientKeyPem", e.rule(), "clientKeyPem: " + e.getMessage()));
                } catch (CredentialsException e) {
                    violations.add(new Violation(
                            "clientKeyPem", "key-algorithm-unsupported", "clientKeyPem: " + e.getMessage()));
                    key = null;
                }
            }
            if (certificate != null && key != null && !Pem.belongTogether(certificate, key)) {
                violations.add(new Violation(
                        "clientKeyPem",
                        "key-mismatch",
                        "clientKeyPem is not the private key of the certificate in clientCertificatePem"));
            }
        }
        String ca = credentials.get(CA_CERTIFICATE);
        if (ca != null) {
            try {
                Pem.certificates(ca);
            } catch (Pem.PemException e) {
                violations.add(new Violation("caCertificatePem", e.rule(), "caCertificatePem: " + e.getMessage()));
            }
        }
    }

    private static void checkGroups(List<String> groups, List<Violation> violations) {
        if (groups.size() > MAX_GROUPS) {
            violations.add(new Violation(
                    "allowedGroups", "max-items", "allowedGroups may name at most " + MAX_GROUPS + " groups"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            String field = "allowedGroups[" + i + "]";
            if (isBlank(group)) {
                violations.add(new Violation(field, "required", field + " must not be blank"));
            } else if (group.length() > MAX_GROUP) {
                violations.add(tooLong(field, MAX_GROUP));
            } else if (hasNul(group)) {
                violations.add(nulCharacter(field));
            } else if (!seen.add(group)) {
                violations.add(new Violation(field, "duplicate", "group '" + group + "' is listed twice"));
            }
        }
    }

    private static void dnsLabel(String field, String value, List<Violation> violations) {
        if (value.length() > MAX_LABEL) {
            violations.add(tooLong(field, MAX_LABEL));
        } else if (!DNS_LABEL.matcher(value).matches()) {
            violations.add(new Violation(
                    field,
                    "dns-label",
                    field + " must be a DNS label: lower-case letters, digits and '-', starting and ending with a"
                            + " letter or digit"));
        }
    }

    private static <T> T oneOf(
            String field,
            String value,
            Function<String, java.util.Optional<T>> parse,
            String allowed,
            List<Violation> violations) {
        if (isBlank(value)) {
            violations.add(required(field));
            return null;
        }
        java.util.Optional<T> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            violations.add(new Violation(field, "unknown-value", field + " must be one of " + allowed));
            return null;
        }
        return parsed.get();
    }

    private static <E extends Enum<E>> java.util.Optional<E> enumValue(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.name().equals(value))
                .findFirst();
    }

    private static String values(List<String> values) {
        return values.stream().collect(Collectors.joining(", "));
    }

    private static Violation required(String field) {
        return new Violation(field, "required", field + " is required");
    }

    /** PostgreSQL cannot store text holding U+0000: it would fail the statement (a 500), so it is refused here. */
    private static boolean hasNul(String value) {
        return value.indexOf('\u0000') >= 0;
    }

    private static Violation nulCharacter(String field) {
        return new Violation(field, "invalid-characters", field + " must not contain NUL characters");
    }

    private static Violation tooLong(String field, int max) {
        return new Violation(field, "max-length", field + " must be at most " + max + " characters");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
