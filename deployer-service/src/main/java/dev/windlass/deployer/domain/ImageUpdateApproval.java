package dev.windlass.deployer.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One person's approval of a pending image update. */
@Entity
@Table(name = "image_update_approvals")
public class ImageUpdateApproval {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "update_id", nullable = false)
    public UUID updateId;

    @Column(nullable = false)
    public String subject;

    public String username;

    @Column(name = "approved_at", nullable = false)
    public Instant approvedAt;
}
