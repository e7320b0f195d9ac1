package dev.windlass.registry.domain;

/** Who made a change: the token's subject and, when known, its username. */
public record Actor(String subject, String username) {

    /** Changes Windlass makes on its own, such as periodic connection checks. */
    public static final Actor SYSTEM = new Actor("system:registry-service", null);
}
