package dev.windlass.registry.domain;

/** How Windlass authenticates to an orchestrator's API server. */
public enum AuthType {
    /** The service account of the pod the registry runs in (same cluster only). */
    IN_CLUSTER,
    /** A bearer token, typically a ServiceAccount token. */
    TOKEN,
    /** A client certificate and its private key. */
    CERTIFICATE
}
