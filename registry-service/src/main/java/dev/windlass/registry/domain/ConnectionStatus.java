package dev.windlass.registry.domain;

/** The outcome of the latest connection check of an orchestrator. */
public enum ConnectionStatus {
    /** Not checked yet. */
    UNKNOWN,
    /** Reached and authenticated, with every permission Windlass needs. */
    CONNECTED,
    /** No TCP connection or no HTTP answer within the timeouts. */
    UNREACHABLE,
    /** The TLS handshake failed (unknown CA, wrong host name, expired certificate). */
    TLS_ERROR,
    /** The API server rejected the credentials (HTTP 401). */
    UNAUTHORIZED,
    /** Authenticated, but missing permissions Windlass needs. */
    FORBIDDEN
}
