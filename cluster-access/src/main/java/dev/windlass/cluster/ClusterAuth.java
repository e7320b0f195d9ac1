package dev.windlass.cluster;

import java.util.Locale;

/** How Windlass authenticates to an orchestrator's API server. */
public enum ClusterAuth {
    /** The ServiceAccount of the pod Windlass runs in (the cluster Windlass itself runs on). */
    IN_CLUSTER,
    /** A bearer token. */
    TOKEN,
    /** A client certificate and its private key. */
    CERTIFICATE;

    /** The auth type named {@code name} (any case); null when the name is none of them. */
    public static ClusterAuth parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
