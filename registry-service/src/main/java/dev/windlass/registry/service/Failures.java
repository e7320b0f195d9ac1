package dev.windlass.registry.service;

import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;

/** Recognises database failures by their cause chain. */
final class Failures {

    private Failures() {}

    /** Whether a unique constraint with this name was violated. */
    static boolean isUniqueViolation(Throwable failure, String constraint) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains(constraint)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether a versioned update found another version than it read. */
    static boolean isStale(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
