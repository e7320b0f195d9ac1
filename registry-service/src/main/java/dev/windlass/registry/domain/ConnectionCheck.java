package dev.windlass.registry.domain;

import dev.windlass.common.sql.Sql;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The result of one connection check: status, a human message, and for CONNECTED the version and latency. */
public class ConnectionCheck {

    private ConnectionStatus status;

    private String message;

    private String serverVersion;

    private Long latencyMillis;

    private Instant checkedAt;

    private Instant credentialsExpireAt;

    /** Warnings of a CONNECTED check, one per line; null when there are none. */
    private String warnings;

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

    /** The check stored in a row of the {@code orchestrator} table. */
    public static ConnectionCheck fromRow(Row row) {
        ConnectionCheck check = new ConnectionCheck(
                ConnectionStatus.valueOf(row.getString("connection_status")),
                row.getString("connection_message"),
                row.getString("server_version"),
                row.getLong("latency_millis"),
                Sql.instant(row.getOffsetDateTime("checked_at")));
        check.credentialsExpireAt = Sql.instant(row.getOffsetDateTime("credentials_expire_at"));
        check.warnings = row.getString("connection_warnings");
        return check;
    }

    /** The warnings as stored, one per line; null when there are none. */
    public String warningsText() {
        return warnings;
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
