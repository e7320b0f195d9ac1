package dev.windlass.events.app;

/**
 * How healthy a live object is, in Argo CD's terms (gitops-engine {@code pkg/health}), declared from the healthiest to
 * the least healthy so that an app's health is the worst of its objects'.
 */
public enum HealthStatus {
    /** Everything the object promises is there. */
    Healthy,
    /** Paused on purpose (a paused Deployment). */
    Suspended,
    /** Not there yet but may still get there: a rollout under way, a claim not bound, an address not assigned. */
    Progressing,
    /** Recorded as applied but not found on the cluster. */
    Missing,
    /** Failed or will not get there without help: a progress deadline exceeded, a container crash-looping. */
    Degraded,
    /** Could not be assessed: the object could not be read. */
    Unknown;

    /** The worse of the two; null counts as no assessment. */
    public static HealthStatus worse(HealthStatus a, HealthStatus b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
