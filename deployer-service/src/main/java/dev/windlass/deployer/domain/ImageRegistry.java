package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * How Windlass reaches a registry it polls for new tags: over plain HTTP or not, and the account it signs in with, its
 * password sealed at rest. A registry without a row is reached over HTTPS without an account.
 */
@Entity
@Table(name = "image_registries")
public class ImageRegistry {

    /** The registry's host as images name it ({@code ghcr.io}, {@code registry.example.com:5000}), lower case. */
    @Id
    public String host;

    public String username;

    /** The password or token, sealed ({@code SecretCipher}); never returned. */
    @Column(name = "password_sealed")
    public String passwordSealed;

    @Column(name = "plain_http", nullable = false)
    public boolean plainHttp;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
