package dev.windlass.registry.domain;

import dev.windlass.common.access.Destination;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A registered Kubernetes cluster: its configuration, sealed credentials and latest connection check. The version
 * (ETag) covers the configuration; connection checks and re-encryption are written without changing it.
 */
@Entity
@DynamicUpdate
@Table(name = "orchestrator")
public class Orchestrator {

    private static final com.fasterxml.jackson.databind.ObjectMapper DESTINATIONS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Id
    private UUID id;

    @Version
    private long version;

    @Column(nullable = false, unique = true)
    private String name;

    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Environment environment;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrchestratorType type;

    @Column(name = "api_server_url")
    private String apiServerUrl;

    @Enumerated(EnumType.STRING)
    @Column(name = "auth_type", nullable = false)
    private AuthType authType;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "keyId", column = @Column(name = "token_key_id")),
        @AttributeOverride(name = "ciphertext", column = @Column(name = "token_ciphertext"))
    })
    private SealedValue token;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "keyId", column = @Column(name = "client_cert_key_id")),
        @AttributeOverride(name = "ciphertext", column = @Column(name = "client_cert_ciphertext"))
    })
    private SealedValue clientCertificate;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "keyId", column = @Column(name = "client_key_key_id")),
        @AttributeOverride(name = "ciphertext", column = @Column(name = "client_key_ciphertext"))
    })
    private SealedValue clientKey;

    @Embedded
    @AttributeOverrides({
        @AttributeOverride(name = "keyId", column = @Column(name = "ca_cert_key_id")),
        @AttributeOverride(name = "ciphertext", column = @Column(name = "ca_cert_ciphertext"))
    })
    private SealedValue caCertificate;

    @Column(name = "skip_tls_verify", nullable = false)
    private boolean skipTlsVerify;

    @Column(name = "metallb_ip_range")
    private String metalLbIpRange;

    @Column(name = "authentik_outpost_url")
    private String authentikOutpostUrl;

    @Column(name = "default_namespace", nullable = false)
    private String defaultNamespace;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_groups", nullable = false)
    private List<String> allowedGroups;

    /** The destinations as JSON (see {@link Destination}); null when the orchestrator has none. */
    @Column(name = "destinations")
    private String destinations;

    @Embedded
    private ConnectionCheck connection;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** When someone asked to delete it after undeploying its apps; null when nobody did. */
    @Column(name = "deletion_requested_at")
    private Instant deletionRequestedAt;

    @Column(name = "deletion_requested_by")
    private String deletionRequestedBy;

    @Column(name = "deletion_requested_by_name")
    private String deletionRequestedByName;

    /** Why that deletion stopped (an undeploy failed); null while it goes on. */
    @Column(name = "deletion_stopped")
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
