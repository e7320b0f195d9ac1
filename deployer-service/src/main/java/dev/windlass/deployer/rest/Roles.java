package dev.windlass.deployer.rest;

/** Role names, as mapped from Authentik groups in configuration. */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String DEPLOYER = "deployer";
    public static final String VIEWER = "viewer";

    private Roles() {}
}
