package dev.windlass.deployer.kubernetes;

/** A cluster call failed; {@code status} is the API server's HTTP status (0 when there was no answer). */
public class ClusterException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;

    public ClusterException(String message, int status, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
    }

    /** The API server's HTTP status, 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** Whether trying again later may succeed (timeouts, 429, 5xx, conflicts). */
    public boolean transientFailure() {
        return transientFailure;
    }
}
