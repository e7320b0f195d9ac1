package dev.windlass.events.spec;

/** Upper bounds on an {@link AppSpec}, chosen so that a request always fits one Kafka record. */
public final class SpecLimits {

    /** Most replicas one spec may ask for. */
    public static final int MAX_REPLICAS = 100;
    /** Most {@code command} entries, and separately most {@code args} entries. */
    public static final int MAX_COMMAND_ITEMS = 50;
    /** Longest single {@code command} or {@code args} entry. */
    public static final int MAX_COMMAND_ITEM_LENGTH = 1024;
    /** Most plain environment variables. */
    public static final int MAX_ENV = 100;
    /** Most secret environment variables. */
    public static final int MAX_SECRET_ENV = 50;
    /** Longest environment value, plain or secret (a secret value before it is sealed). */
    public static final int MAX_ENV_VALUE_LENGTH = 4096;
    /**
     * Longest secret value in an event, where it is sealed (a JWE compact serialization): room for the largest value
     * of {@link #MAX_ENV_VALUE_LENGTH} characters of three UTF-8 bytes each, base64url-encoded, plus the JWE's header,
     * wrapped key, IV and tag.
     */
    public static final int MAX_SEALED_SECRET_LENGTH = 20000;
    /** Most ports. */
    public static final int MAX_PORTS = 20;
    /** Most volumes. */
    public static final int MAX_VOLUMES = 20;
    /** Most apps a network policy may admit. */
    public static final int MAX_ALLOWED_PEERS = 20;
    /** Most labels. */
    public static final int MAX_LABELS = 50;
    /** Most annotations. */
    public static final int MAX_ANNOTATIONS = 50;
    /** Longest annotation value (50 of them stay under the 256 KiB Kubernetes limit). */
    public static final int MAX_ANNOTATION_VALUE_LENGTH = 4096;
    /** Longest probe initial delay and period, in seconds. */
    public static final int MAX_PROBE_SECONDS = 3600;
    /** Lowest fixed node port (the Kubernetes default range). */
    public static final int MIN_NODE_PORT = 30000;
    /** Highest fixed node port (the Kubernetes default range). */
    public static final int MAX_NODE_PORT = 32767;

    private SpecLimits() {}
}
