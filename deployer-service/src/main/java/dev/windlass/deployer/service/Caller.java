package dev.windlass.deployer.service;

import dev.windlass.events.Actor;
import java.util.Set;

/** Who is calling the API: token subject, user name, groups, and whether the admin role applies. */
public record Caller(String subject, String username, Set<String> groups, boolean admin) {

    public Caller {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    /** The caller as recorded in events and history. */
    public Actor actor() {
        return new Actor(subject, username);
    }
}
