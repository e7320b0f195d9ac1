package dev.windlass.deployer.rest;

/** Role names, as mapped from Authentik groups in configuration. */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String DEPLOYER = "deployer";
    public static final String VIEWER = "viewer";

    /** Windlass's own services (the registry), by their client-credentials tokens. */
    public static final String SERVICE = "service";

    private Roles() {}
}
