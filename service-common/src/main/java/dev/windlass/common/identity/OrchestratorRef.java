package dev.windlass.common.identity;

import dev.windlass.events.validation.KubernetesNames;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a request names an orchestrator: by its id (a UUID in canonical form, which stays when the orchestrator is
 * renamed) or by its name (for people). The registry refuses names of the id's form, so the two never collide; the
 * deployer keys everything it stores by the id.
 */
public final class OrchestratorRef {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private static final Pattern NAME = Pattern.compile(KubernetesNames.DNS_LABEL_PATTERN);

    private OrchestratorRef() {}

    /** The id {@code ref} is, or empty when it is a name (or nothing). */
    public static Optional<UUID> id(String ref) {
        if (ref == null || !CANONICAL_UUID.matcher(ref).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(ref));
    }

    /**
     * Whether {@code ref} could name an orchestrator at all: an id, or a name of the form the registry gives names (a
     * DNS label); anything else names none, and need not be asked about.
     */
    public static boolean wellFormed(String ref) {
        return ref != null && (isId(ref) || NAME.matcher(ref).matches());
    }

    /** Whether {@code ref} has the form of an id. */
    public static boolean isId(String ref) {
        return id(ref).isPresent();
    }
}
