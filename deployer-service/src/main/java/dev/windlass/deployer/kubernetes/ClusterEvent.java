package dev.windlass.deployer.kubernetes;

/**
 * One Kubernetes event about an object of an app: {@code Normal} or {@code Warning}, the reason and message the
 * reporting component gave (secret values of the app masked), the object it is about, how often it happened and
 * when first and last (RFC 3339).
 */
public record ClusterEvent(
        String type,
        String reason,
        String message,
        String kind,
        String name,
        int count,
        String firstSeen,
        String lastSeen) {}
