package dev.windlass.registry.service;

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
}
