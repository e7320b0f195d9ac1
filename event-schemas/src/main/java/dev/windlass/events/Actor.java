package dev.windlass.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Who caused an event: the token subject and, when known, the username.
 *
 * <p>Automatic changes (periodic connection checks) use a subject of the form {@code system:<service>}.
 */
@RegisterForReflection
public record Actor(@Required String subject, String username) {

    /** Subject prefix for changes made by Windlass itself rather than a person or client. */
    public static final String SYSTEM_PREFIX = "system:";

    /** An actor for a change Windlass made on its own, e.g. {@code system("registry-service")}. */
    public static Actor system(String service) {
        return new Actor(SYSTEM_PREFIX + service, null);
    }
}
