package dev.windlass.registry.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The result of one connection check: status, a human message, and for CONNECTED the version and latency. */
@Embeddable
public class ConnectionCheck {

    @Enumerated(EnumType.STRING)
    @Column(name = "connection_status", nullable = false)
    private ConnectionStatus status;

    @Column(name = "connection_message")
    private String message;

    @Column(name = "server_version")
    private String serverVersion;

    @Column(name = "latency_millis")
    private Long latencyMillis;

    @Column(name = "checked_at")
    private Instant checkedAt;

    @Column(name = "credentials_expire_at")
    private Instant credentialsExpireAt;

    /** Warnings of a CONNECTED check, one per line; null when there are none. */
    @Column(name = "connection_warnings")
    private String warnings;

    protected ConnectionCheck() {}

    public ConnectionCheck(
            ConnectionStatus status, String message, String serverVersion, Long latencyMillis, Instant checkedAt) {
        this.status = status;
        this.message = message;
        this.serverVersion = serverVersion;
        this.latencyMillis = latencyMillis;
        this.checkedAt = checkedAt;
    }

    /** This check, telling when the credentials it used expire (a token's {@code exp}, a certificate's end). */
    public ConnectionCheck expiring(Instant at) {
        this.credentialsExpireAt = at;
        return this;
    }

    /** This check with {@code warnings} (over-privileged credentials, an expiry soon, ...). */
    public ConnectionCheck warning(List<String> warnings) {
        this.warnings = warnings.isEmpty() ? null : String.join("\n", warnings);
        return this;
    }

    /** The warnings of this check, in the order found; empty when there are none. */
    public List<String> warnings() {
        return warnings == null ? List.of() : List.of(warnings.split("\n"));
    }

    /** When the credentials expire, or null when they do not say. */
    public Instant credentialsExpireAt() {
        return credentialsExpireAt;
    }

    /** The state of an orchestrator that was never checked. */
    public static ConnectionCheck unknown() {
        return new ConnectionCheck(ConnectionStatus.UNKNOWN, "Not checked yet", null, null, null);
    }

    public ConnectionStatus status() {
        return status;
    }

    public String message() {
        return message;
    }

    public String serverVersion() {
        return serverVersion;
    }

    public Long latencyMillis() {
        return latencyMillis;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionCheck other
                && status == other.status
                && Objects.equals(message, other.message)
                && Objects.equals(serverVersion, other.serverVersion)
                && Objects.equals(latencyMillis, other.latencyMillis)
                && Objects.equals(checkedAt, other.checkedAt)
                && Objects.equals(credentialsExpireAt, other.credentialsExpireAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, message, serverVersion, latencyMillis, checkedAt, credentialsExpireAt);
    }
}
