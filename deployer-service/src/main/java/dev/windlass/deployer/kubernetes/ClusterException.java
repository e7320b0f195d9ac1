package dev.windlass.deployer.kubernetes;

/**
 * A cluster call that failed; {@code transientFailure} says whether retrying later may succeed; {@code status} is
 * the HTTP status or 0. message is human and safe (never a credential).
 */
public class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean transientFailure;

    public ClusterException(String message, int status, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
    }

    /** A failure that retrying cannot fix, without an HTTP status (a bad spec, a missing CRD). */
    public static ClusterException permanent(String message) {
        return new ClusterException(message, 0, false, null);
    }

    /** The HTTP status the API server answered, or 0 when there was no answer. */
    public int getStatus() {
        return status;
    }

    /** Whether retrying later may succeed (connection failures, 409, 429, 5xx). */
    public boolean isTransientFailure() {
        return transientFailure;
    }

    /** Same as {@link #getStatus()}. */
    public int status() {
        return status;
    }

    /** Same as {@link #isTransientFailure()}. */
    public boolean transientFailure() {
        return transientFailure;
    }
}
