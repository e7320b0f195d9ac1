package dev.windlass.deployer.kubernetes;

/** Names of the objects rendered for an app, derived from the app's name. */
public final class ObjectNames {

    private ObjectNames() {}

    /** The Secret holding the app's secret environment values. */
    public static String secret(String app) {
        return app + "-env";
    }

    /** The Secret cert-manager fills with the ingress certificate. */
    public static String tlsSecret(String app) {
        return app + "-tls";
    }

    /** The Service of type LoadBalancer for LOAD_BALANCER ports. */
    public static String loadBalancer(String app) {
        return app + "-lb";
    }

    /** The Service of type NodePort for NODE_PORT ports. */
    public static String nodePort(String app) {
        return app + "-np";
    }

    /** The PersistentVolumeClaim of one volume. */
    public static String claim(String app, String volume) {
        return app + "-" + volume;
    }

    /** The Traefik Middleware doing Authentik forward-auth for the app. */
    public static String forwardAuth(String app) {
        return app + "-authentik";
    }

    /** The MetalLB IPAddressPool and L2Advertisement of an orchestrator. */
    public static String addressPool(String orchestrator) {
        return "windlass-" + orchestrator;
    }
}
