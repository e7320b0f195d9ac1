package dev.windlass.events.validation;

/**
 * Rule identifiers carried by {@link Violation#rule()}. JSON Schema failures use {@code schema.<keyword>},
 * e.g. {@code schema.pattern}.
 */
public final class Rules {

    /** A required field, header or payload is missing. */
    public static final String REQUIRED = "required";
    /** A field that must not be present for this case (e.g. {@code spec} in a DELETE request). */
    public static final String FORBIDDEN = "forbidden";
    /** A number outside its allowed range. */
    public static final String RANGE = "range";
    /** A string longer than allowed. */
    public static final String MAX_LENGTH = "max-length";
    /** A list or map with more entries than allowed. */
    public static final String MAX_ITEMS = "max-items";
    /** A name, port number, path or key that must be unique appears again. */
    public static final String UNIQUE = "unique";
    /** Not an RFC 1123 label (lower-case alphanumerics and '-', at most 63). */
    public static final String DNS_LABEL = "dns-label";
    /** Not an RFC 1035 label (as {@link #DNS_LABEL}, starting with a letter): Service names. */
    public static final String DNS_1035_LABEL = "dns-1035-label";
    /** Not an RFC 1123 subdomain (labels joined by '.', at most 253). */
    public static final String DNS_SUBDOMAIN = "dns-subdomain";
    /** Not a host name usable in an Ingress rule. */
    public static final String HOST = "host";
    /** Not an IANA service name (port names). */
    public static final String PORT_NAME = "port-name";
    /** Not a Kubernetes quantity, or not a positive one. */
    public static final String QUANTITY = "quantity";
    /** Not an image reference. */
    public static final String IMAGE = "image";
    /** Not a registry host as images name it ({@code ghcr.io}, {@code registry.example.com:5000}). */
    public static final String REGISTRY = "registry";
    /** Not an environment variable name. */
    public static final String ENV_NAME = "env-name";
    /** Not a label or annotation key. */
    public static final String LABEL_KEY = "label-key";
    /** Not a label value. */
    public static final String LABEL_VALUE = "label-value";
    /** A key Windlass sets itself. */
    public static final String RESERVED = "reserved";
    /** Not an absolute path of the accepted form. */
    public static final String PATH = "path";
    /** Two fields that must agree do not (e.g. {@code spec.name} and {@code app}). */
    public static final String MISMATCH = "mismatch";
    /** A reference to something the payload does not declare (e.g. a probe on an unknown port). */
    public static final String UNDECLARED = "undeclared";
    /** A combination of otherwise valid values that Kubernetes or Windlass cannot honour. */
    public static final String CONFLICT = "conflict";
    /** A request that exceeds its limit. */
    public static final String LIMIT = "limit";
    /** Not a Kubernetes kind. */
    public static final String KIND = "kind";
    /** Not a UUID. */
    public static final String UUID = "uuid";
    /** Not an RFC 3339 timestamp. */
    public static final String TIMESTAMP = "timestamp";
    /** Not a URI reference. */
    public static final String URI = "uri";
    /** Not an image update policy. */
    public static final String IMAGE_POLICY = "image-policy";
    /** A header with a value this contract does not accept. */
    public static final String HEADER_VALUE = "header-value";
    /** A {@code ce_type} other than the expected one. */
    public static final String EVENT_TYPE = "event-type";
    /** A payload or header that is not well-formed UTF-8 / JSON, or not a JSON object. */
    public static final String MALFORMED = "malformed";
    /** A payload larger than allowed. */
    public static final String TOO_LARGE = "too-large";
    /** A field the payload's type does not have (a typo, or a field this version does not know). */
    public static final String UNKNOWN_FIELD = "unknown-field";
    /** Valid JSON that still cannot be read as the payload record. */
    public static final String UNREADABLE = "unreadable";

    private Rules() {}
}
