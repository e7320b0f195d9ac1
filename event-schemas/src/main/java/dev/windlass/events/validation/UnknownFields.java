package dev.windlass.events.validation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.windlass.events.EventJson;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Strict field validation: every property of a JSON document that the target type does not know, at any depth,
 * reported by path ({@code spec.replica}) with the known field it most likely meant.
 *
 * <p>Jackson stops at the first unknown property (or, configured as Windlass is, drops them all silently); this
 * walks the whole tree instead, against the properties Jackson itself finds on the target type, so names follow
 * {@code @JsonProperty}, {@code @JsonAlias} and {@code @JsonIgnoreProperties}. Maps are free-form: their keys
 * ({@code env}, {@code labels}) are data, not fields, and only their values are checked. A type that accepts any
 * property ({@code @JsonAnySetter}, {@code @JsonIgnoreProperties(ignoreUnknown = true)}) or is polymorphic is
 * not checked. Unknown properties are not descended into, and the checker never reads a value, so no secret can
 * end up in a violation.
 */
public final class UnknownFields {

    /** Rule of every violation this checker reports. */
    public static final String RULE = Rules.UNKNOWN_FIELD;

    /** Message of a violation without a suggestion. */
    public static final String MESSAGE = "unknown field";

    /**
     * Most unknown fields reported for one document; a document with more gets one more violation at its root
     * saying so, so that a hostile body cannot make the answer grow with it.
     */
    public static final int MAX_REPORTED = 100;

    /** Most paths named in a {@link #summary(List)}. */
    static final int MAX_SUMMARY_PATHS = 10;

    private static final ObjectMapper EVENT_MAPPER = EventJson.mapper();

    /**
     * What each type accepts, per mapper configuration: Jackson's introspection of a type costs far more than a walk
     * over a document, and every deploy request's spec is checked. A configuration is immutable (a mapper configured
     * anew has a new one), and an entry goes with its configuration.
     */
    private static final Map<DeserializationConfig, Map<JavaType, Known>> KNOWN =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** How many types have been introspected, for tests. */
    static final AtomicLong INTROSPECTIONS = new AtomicLong();

    private UnknownFields() {}

    /** The unknown fields of {@code document} read as {@code type}, under {@code path} ({@code ""} for the root). */
    public static List<Violation> check(ObjectMapper mapper, JsonNode document, Type type, String path) {
        List<Violation> violations = new ArrayList<>();
        if (document != null) {
            try {
                DeserializationConfig config = mapper.getDeserializationConfig();
                new Walk(config, KNOWN.computeIfAbsent(config, c -> new ConcurrentHashMap<>()), violations)
                        .value(document, mapper.constructType(type), path == null ? "" : path);
            } catch (TooMany e) {
                violations.add(new Violation(
                        path == null || path.isEmpty() ? JsonPaths.ROOT : path,
                        RULE,
                        "more than " + MAX_REPORTED + " unknown fields; the others are not listed"));
            }
        }
        return List.copyOf(violations);
    }

    /** As {@link #check(ObjectMapper, JsonNode, Type, String)} with Windlass's event mapping. */
    public static List<Violation> check(JsonNode document, Type type, String path) {
        return check(EVENT_MAPPER, document, type, path);
    }

    /**
     * The unknown fields of a request body that is to be read as {@code type}, reported from its root
     * ({@code spec.replica}). A body that is not JSON has none: the reader that follows reports it.
     */
    public static List<Violation> inBody(ObjectMapper mapper, byte[] body, Type type) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return check(mapper, tree, type, "");
    }

    /**
     * One line for people naming every unknown field: {@code spec.replica: unknown field; did you mean
     * replicas?}, or {@code 2 unknown fields: spec.privileged, spec.replica}.
     */
    public static String summary(List<Violation> unknown) {
        if (unknown.size() == 1) {
            return unknown.get(0).path() + ": " + unknown.get(0).message();
        }
        String paths =
                unknown.stream().limit(MAX_SUMMARY_PATHS).map(Violation::path).collect(Collectors.joining(", "));
        return unknown.size() + " unknown fields: " + paths + (unknown.size() > MAX_SUMMARY_PATHS ? ", …" : "");
    }

    /**
     * The known name closest to {@code unknown} if it is close enough to be the likely intent (a typo, a missing
     * or extra letter, a different case), else null.
     */
    public static String suggestion(String unknown, Iterable<String> known) {
        String lower = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            int allowed = Math.max(1, Math.min(3, candidate.length() / 3));
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** One walk over one document, with the known properties of the types met so far under its configuration. */
    private static final class Walk {

        private final DeserializationConfig config;
        private final List<Violation> violations;
        private final Map<JavaType, Known> known;

        Walk(DeserializationConfig config, Map<JavaType, Known> known, List<Violation> violations) {
            this.config = config;
            this.known = known;
            this.violations = violations;
        }

        void value(JsonNode node, JavaType type, String path) {
            if (type.isReferenceType()) {
                value(node, type.getReferencedType(), path);
            } else if (type.hasRawClass(Optional.class) && type.containedTypeCount() == 1) {
                // a mapper without the JDK 8 module does not see Optional as a reference type
                value(node, type.containedType(0), path);
            } else if (type.isContainerType() && !type.isMapLikeType()) {
                if (node.isArray()) {
                    for (int i = 0; i < node.size(); i++) {
                        value(node.get(i), type.getContentType(), JsonPaths.index(path, i));
                    }
                }
            } else if (type.isMapLikeType()) {
                if (node.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> entry = it.next();
                        value(entry.getValue(), type.getContentType(), JsonPaths.property(path, entry.getKey()));
                    }
                }
            } else if (node.isObject() && isBean(type)) {
                object(node, type, path);
            }
        }

        private void object(JsonNode node, JavaType type, String path) {
            Known properties = known.computeIfAbsent(type, this::introspect);
            if (properties.anyAccepted()) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                String fieldPath = JsonPaths.property(path, name);
                JavaType propertyType = properties.types().get(name);
                if (propertyType != null) {
                    value(entry.getValue(), propertyType, fieldPath);
                } else if (!properties.ignored().contains(name)) {
                    if (violations.size() == MAX_REPORTED) {
                        throw new TooMany();
                    }
                    String meant = suggestion(name, properties.names());
                    violations.add(new Violation(
                            fieldPath.isEmpty() ? JsonPaths.ROOT : fieldPath,
                            RULE,
                            meant == null ? MESSAGE : MESSAGE + "; did you mean " + meant + "?"));
                }
            }
        }

        private Known introspect(JavaType type) {
            INTROSPECTIONS.incrementAndGet();
            BeanDescription description = config.introspect(type);
            JsonIgnoreProperties.Value ignorals =
                    config.getDefaultPropertyIgnorals(description.getBeanClass(), description.getClassInfo());
            boolean anyAccepted = description.findAnySetterAccessor() != null
                    || (ignorals != null && ignorals.getIgnoreUnknown())
                    || description.getClassInfo().hasAnnotation(JsonTypeInfo.class);
            Map<String, JavaType> types = new TreeMap<>();
            Set<String> names = new TreeSet<>();
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (!property.couldDeserialize()) {
                    continue;
                }
                JavaType propertyType = property.getPrimaryType();
                types.put(property.getName(), propertyType);
                names.add(property.getName());
                for (PropertyName alias : property.findAliases()) {
                    types.put(alias.getSimpleName(), propertyType);
                }
            }
            Set<String> ignored = new TreeSet<>(description.getIgnoredPropertyNames());
            if (ignorals != null) {
                ignored.addAll(ignorals.findIgnoredForDeserialization());
            }
            return new Known(types, Collections.unmodifiableSet(names), ignored, anyAccepted);
        }

        private static boolean isBean(JavaType type) {
            Class<?> raw = type.getRawClass();
            return !raw.isPrimitive()
                    && !raw.isEnum()
                    && !raw.isArray()
                    && raw != Object.class
                    && !JsonNode.class.isAssignableFrom(raw)
                    && !raw.getName().startsWith("java.");
        }
    }

    /** Ends a walk that has found {@link #MAX_REPORTED} unknown fields and meets another. */
    private static final class TooMany extends RuntimeException {
        TooMany() {
            super(null, null, false, false);
        }
    }

    /** What one type accepts. */
    private record Known(Map<String, JavaType> types, Set<String> names, Set<String> ignored, boolean anyAccepted) {}
}
