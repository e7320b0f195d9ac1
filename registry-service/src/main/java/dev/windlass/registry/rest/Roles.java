package dev.windlass.registry.rest;

/** The roles the service checks (mapped from the token's groups in configuration). */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String DEPLOYER = "deployer";
    public static final String VIEWER = "viewer";
    /** Other Windlass services, through client-credentials tokens. */
    public static final String SERVICE = "service";

    private Roles() {}
}
