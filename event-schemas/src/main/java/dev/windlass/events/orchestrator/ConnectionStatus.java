package dev.windlass.events.orchestrator;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Outcome of reaching an orchestrator's API server with its stored credentials. */
@RegisterForReflection
public enum ConnectionStatus {
    CONNECTED,
    /** No TCP connection or no HTTP answer (DNS, routing, timeout). */
    UNREACHABLE,
    /** The TLS handshake failed (unknown CA, wrong host name, expired certificate). */
    TLS_ERROR,
    /** The API server rejected the credentials (HTTP 401). */
    UNAUTHORIZED,
    /** The credentials are valid but lack permission for the check (HTTP 403). */
    FORBIDDEN,
    /** Not checked yet, or the answer fits no other status. */
    UNKNOWN
}
