package dev.windlass.registry.domain;

import dev.windlass.common.access.Destination;
import dev.windlass.common.sql.Sql;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A registered Kubernetes cluster: its configuration, sealed credentials and latest connection check; a row of the
 * {@code orchestrator} table (OrchestratorRepository reads and writes it). The version (ETag) covers the
 * configuration; connection checks and re-encryption are written without changing it.
 */
public class Orchestrator {

    private static final com.fasterxml.jackson.databind.ObjectMapper DESTINATIONS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private UUID id;

    private long version;

    private String name;

    private String description;

    private Environment environment;

    private OrchestratorType type;

    private String apiServerUrl;

    private AuthType authType;

    private SealedValue token;

    private SealedValue clientCertificate;

    private SealedValue clientKey;

    private SealedValue caCertificate;

    private boolean skipTlsVerify;

    private String metalLbIpRange;

    private String authentikOutpostUrl;

    private String defaultNamespace;

    private List<String> allowedGroups;

    /** The destinations as JSON (see {@link Destination}); null when the orchestrator has none. */
    private String destinations;

    private ConnectionCheck connection;

    private Instant createdAt;

    private Instant updatedAt;

    /** When someone asked to delete it after undeploying its apps; null when nobody did. */
    private Instant deletionRequestedAt;

    private String deletionRequestedBy;

    private String deletionRequestedByName;

    /** Why that deletion stopped (an undeploy failed); null while it goes on. */
    private String deletionStopped;

    protected Orchestrator() {}

    /** A new orchestrator with a fresh id, never checked. */
    public static Orchestrator create(Instant now) {
        Orchestrator o = new Orchestrator();
        o.id = UUID.randomUUID();
        o.connection = ConnectionCheck.unknown();
        o.createdAt = now;
        o.updatedAt = now;
        return o;
    }

    /** The orchestrator a row of the {@code orchestrator} table holds. */
    public static Orchestrator fromRow(Row row) {
        Orchestrator o = new Orchestrator();
        o.id = row.getUUID("id");
        o.version = row.getLong("version");
        o.name = row.getString("name");
        o.description = row.getString("description");
        o.environment = Environment.valueOf(row.getString("environment"));
        o.type = OrchestratorType.valueOf(row.getString("type"));
        o.apiServerUrl = row.getString("api_server_url");
        o.authType = AuthType.valueOf(row.getString("auth_type"));
        for (CredentialField field : CredentialField.values()) {
            String keyId = row.getString(field.column() + "_key_id");
            if (keyId != null) {
                o.seal(
                        field,
                        new SealedValue(
                                keyId,
                                row.getBuffer(field.column() + "_ciphertext").getBytes()));
            }
        }
        o.skipTlsVerify = row.getBoolean("skip_tls_verify");
        o.metalLbIpRange = row.getString("metallb_ip_range");
        o.authentikOutpostUrl = row.getString("authentik_outpost_url");
        o.defaultNamespace = row.getString("default_namespace");
        o.allowedGroups = new ArrayList<>(List.of(row.getArrayOfStrings("allowed_groups")));
        o.destinations = row.getString("destinations");
        o.connection = ConnectionCheck.fromRow(row);
        o.createdAt = Sql.instant(row.getOffsetDateTime("created_at"));
        o.updatedAt = Sql.instant(row.getOffsetDateTime("updated_at"));
        o.deletionRequestedAt = Sql.instant(row.getOffsetDateTime("deletion_requested_at"));
        o.deletionRequestedBy = row.getString("deletion_requested_by");
        o.deletionRequestedByName = row.getString("deletion_requested_by_name");
        o.deletionStopped = row.getString("deletion_stopped");
        return o;
    }

    /** After its row was written as {@code version}. */
    public void stored(long version) {
        this.version = version;
    }

    /** The destinations as stored (JSON), or null when it has none. */
    public String destinationsJson() {
        return destinations;
    }

    /** Who asked for the deletion under way (the token's subject and username), or nulls. */
    public String deletionRequestedBySubject() {
        return deletionRequestedBy;
    }

    public String deletionRequestedByName() {
        return deletionRequestedByName;
    }

    /** The sealed credentials that are set, by field. */
    public Map<CredentialField, SealedValue> sealedCredentials() {
        Map<CredentialField, SealedValue> result = new EnumMap<>(CredentialField.class);
        for (CredentialField field : CredentialField.values()) {
            SealedValue value = sealedValue(field);
            if (value != null) {
                result.put(field, value);
            }
        }
        return result;
    }

    /** The sealed value of one credential, or null when it is not set. */
    public SealedValue sealedValue(CredentialField field) {
        return switch (field) {
            case TOKEN -> token;
            case CLIENT_CERTIFICATE -> clientCertificate;
            case CLIENT_KEY -> clientKey;
            case CA_CERTIFICATE -> caCertificate;
        };
    }

    /** Replaces (or with null, clears) one sealed credential. */
    public void seal(CredentialField field, SealedValue value) {
        switch (field) {
            case TOKEN -> token = value;
            case CLIENT_CERTIFICATE -> clientCertificate = value;
            case CLIENT_KEY -> clientKey = value;
            case CA_CERTIFICATE -> caCertificate = value;
        }
    }

    public UUID getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public Environment getEnvironment() {
        return environment;
    }

    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    public OrchestratorType getType() {
        return type;
    }

    public void setType(OrchestratorType type) {
        this.type = type;
    }

    public String getApiServerUrl() {
        return apiServerUrl;
    }

    public void setApiServerUrl(String apiServerUrl) {
        this.apiServerUrl = apiServerUrl;
    }

    public AuthType getAuthType() {
        return authType;
    }

    public void setAuthType(AuthType authType) {
        this.authType = authType;
    }

    public boolean isSkipTlsVerify() {
        return skipTlsVerify;
    }

    public void setSkipTlsVerify(boolean skipTlsVerify) {
        this.skipTlsVerify = skipTlsVerify;
    }

    public String getMetalLbIpRange() {
        return metalLbIpRange;
    }

    public void setMetalLbIpRange(String metalLbIpRange) {
        this.metalLbIpRange = metalLbIpRange;
    }

    /** Where the Authentik outpost of this cluster answers forward-auth requests from Traefik; null when none. */
    public String getAuthentikOutpostUrl() {
        return authentikOutpostUrl;
    }

    public void setAuthentikOutpostUrl(String authentikOutpostUrl) {
        this.authentikOutpostUrl = authentikOutpostUrl;
    }

    public String getDefaultNamespace() {
        return defaultNamespace;
    }

    public void setDefaultNamespace(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    public List<String> getAllowedGroups() {
        return allowedGroups == null ? List.of() : List.copyOf(allowedGroups);
    }

    public void setAllowedGroups(List<String> allowedGroups) {
        this.allowedGroups = new ArrayList<>(allowedGroups);
    }

    /** Which groups may deploy to which namespaces; none: admins only. */
    public List<Destination> getDestinations() {
        if (destinations == null) {
            return List.of();
        }
        try {
            return List.of(DESTINATIONS_JSON.readValue(destinations, Destination[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("orchestrator " + id + " has unreadable destinations", e);
        }
    }

    public void setDestinations(List<Destination> destinations) {
        try {
            this.destinations = destinations.isEmpty() ? null : DESTINATIONS_JSON.writeValueAsString(destinations);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ConnectionCheck getConnection() {
        return connection;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
    }

    /** Whether someone asked to delete it once its apps are undeployed. */
    public boolean isBeingDeleted() {
        return deletionRequestedAt != null;
    }

    public Instant getDeletionRequestedAt() {
        return deletionRequestedAt;
    }

    /** Who asked for the deletion under way, or null. */
    public Actor getDeletionRequestedBy() {
        return deletionRequestedBy == null ? null : new Actor(deletionRequestedBy, deletionRequestedByName);
    }

    public String getDeletionStopped() {
        return deletionStopped;
    }

    /** Records that {@code actor} asked to delete it once its apps are undeployed; a stopped deletion starts again. */
    public void requestDeletion(Actor actor, Instant at) {
        this.deletionRequestedAt = at;
        this.deletionRequestedBy = actor.subject();
        this.deletionRequestedByName = actor.username();
        this.deletionStopped = null;
    }

    /** Records why the deletion under way stopped. */
    public void stopDeletion(String reason) {
        this.deletionStopped = reason;
    }
}
