package dev.windlass.deployer.kubernetes;

import dev.windlass.events.app.HealthStatus;

/** One object's health and, when there is something to say, why. */
public record Health(HealthStatus status, String message) {

    static Health healthy() {
        return new Health(HealthStatus.Healthy, null);
    }

    static Health of(HealthStatus status, String message) {
        return new Health(status, message == null || message.isBlank() ? null : message);
    }
}
