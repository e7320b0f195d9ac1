package dev.windlass.events.validation;

import java.util.regex.Pattern;

/**
 * Kubernetes name and key grammars. The {@code *_PATTERN} strings appear verbatim (anchored with
 * {@code ^...$}) in the JSON Schemas, so they use only syntax that Java and ECMA-262 read alike.
 */
public final class KubernetesNames {

    /** RFC 1123 label: namespaces, orchestrator names, volume names. At most 63 characters. */
    public static final String DNS_LABEL_PATTERN = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    /** RFC 1035 label: app names, which become Service names. At most 63 characters. */
    public static final String DNS_1035_LABEL_PATTERN = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";

    /** RFC 1123 subdomain: storage and ingress classes, issuers. At most 253 characters overall. */
    public static final String DNS_SUBDOMAIN_PATTERN = DNS_LABEL_PATTERN + "(\\." + DNS_LABEL_PATTERN + ")*";

    /** An Ingress host: a subdomain that is not an IP address. */
    public static final String HOST_PATTERN = "(?![0-9.]+$)" + DNS_SUBDOMAIN_PATTERN;

    /** IANA service name: port names. At most 15 characters, at least one letter, no "--". */
    public static final String PORT_NAME_PATTERN = "(?!.*--)(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?";

    /** Environment variable name: a C identifier, so every shell can read it. */
    public static final String ENV_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_]*";

    /** Label or annotation key: optional subdomain prefix and '/', then a name of at most 63 characters. */
    public static final String LABEL_KEY_PATTERN =
            "(" + DNS_SUBDOMAIN_PATTERN + "/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]";

    /** Label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    public static final String LABEL_VALUE_PATTERN = "(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?";

    /** Kubernetes kind, e.g. {@code Deployment}. */
    public static final String KIND_PATTERN = "[A-Z][A-Za-z0-9]{0,62}";

    /** Rejects a {@code .} or {@code ..} path segment anywhere. */
    private static final String NO_DOT_SEGMENT = "(?!.*/\\.\\.?(/|$))";

    /** Volume mount path: absolute, not the root, portable characters only, no dot segments. */
    public static final String MOUNT_PATH_PATTERN = NO_DOT_SEGMENT + "/[A-Za-z0-9._~@%+=,-][A-Za-z0-9._~@%+=,/-]*";

    /** HTTP path of an ingress rule or probe: absolute, RFC 3986 path characters, no dot segments. */
    public static final String HTTP_PATH_PATTERN = NO_DOT_SEGMENT + "/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*";

    /** Longest environment variable name. */
    public static final int MAX_ENV_NAME_LENGTH = 128;

    /** Longest mount path or HTTP path. */
    public static final int MAX_PATH_LENGTH = 256;

    private static final Pattern DNS_LABEL = Pattern.compile(DNS_LABEL_PATTERN);
    private static final Pattern DNS_1035_LABEL = Pattern.compile(DNS_1035_LABEL_PATTERN);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_SUBDOMAIN_PATTERN);
    private static final Pattern HOST = Pattern.compile(HOST_PATTERN);
    private static final Pattern PORT_NAME = Pattern.compile(PORT_NAME_PATTERN);
    private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_PATTERN);
    private static final Pattern LABEL_KEY = Pattern.compile(LABEL_KEY_PATTERN);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_PATTERN);
    private static final Pattern KIND = Pattern.compile(KIND_PATTERN);
    private static final Pattern MOUNT_PATH = Pattern.compile(MOUNT_PATH_PATTERN);
    private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_PATTERN);

    private KubernetesNames() {}

    /** RFC 1123 label. */
    public static boolean isDnsLabel(String value) {
        return value != null && DNS_LABEL.matcher(value).matches();
    }

    /** RFC 1035 label. */
    public static boolean isDns1035Label(String value) {
        return value != null && DNS_1035_LABEL.matcher(value).matches();
    }

    /** RFC 1123 subdomain of at most 253 characters. */
    public static boolean isDnsSubdomain(String value) {
        return value != null
                && value.length() <= 253
                && DNS_SUBDOMAIN.matcher(value).matches();
    }

    /** Ingress host name: a subdomain that is not an IPv4 address. */
    public static boolean isHost(String value) {
        return value != null && value.length() <= 253 && HOST.matcher(value).matches();
    }

    /** IANA service name. */
    public static boolean isPortName(String value) {
        return value != null && PORT_NAME.matcher(value).matches();
    }

    /** C identifier of at most {@link #MAX_ENV_NAME_LENGTH} characters. */
    public static boolean isEnvName(String value) {
        return value != null
                && value.length() <= MAX_ENV_NAME_LENGTH
                && ENV_NAME.matcher(value).matches();
    }

    /** Label or annotation key. */
    public static boolean isLabelKey(String value) {
        if (value == null || !LABEL_KEY.matcher(value).matches()) {
            return false;
        }
        int slash = value.indexOf('/');
        return slash < 0 || slash <= 253;
    }

    /** Label value. */
    public static boolean isLabelValue(String value) {
        return value != null && LABEL_VALUE.matcher(value).matches();
    }

    /** Kubernetes kind. */
    public static boolean isKind(String value) {
        return value != null && KIND.matcher(value).matches();
    }

    /** Volume mount path without {@code .} or {@code ..} segments. */
    public static boolean isMountPath(String value) {
        return value != null
                && value.length() <= MAX_PATH_LENGTH
                && MOUNT_PATH.matcher(value).matches();
    }

    /** HTTP path for an ingress rule or an HTTP probe. */
    public static boolean isHttpPath(String value) {
        return value != null
                && value.length() <= MAX_PATH_LENGTH
                && HTTP_PATH.matcher(value).matches();
    }
}
