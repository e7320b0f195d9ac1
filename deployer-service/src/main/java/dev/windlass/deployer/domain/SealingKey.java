package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A key pair secret values are sealed to in events; the private key sealed at rest. */
@Entity
@Table(name = "sealing_keys")
public class SealingKey {

    @Id
    @Column(name = "key_id")
    public String keyId;

    /** PKCS#8 private key, sealed with the deployer's secret keys. */
    @Column(name = "private_key", nullable = false)
    public String privateKey;

    /** The public JWK, as published. */
    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "retired_at")
    public Instant retiredAt;
}
