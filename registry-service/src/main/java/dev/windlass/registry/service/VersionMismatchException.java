package dev.windlass.registry.service;

/** The client's {@code If-Match} version is not the stored one: someone else changed the orchestrator. */
public class VersionMismatchException extends RuntimeException {

    public VersionMismatchException(long expected, long actual) {
        super("The orchestrator was changed meanwhile: If-Match names version " + expected + ", the current version is "
                + actual + ". Fetch it again and retry.");
    }

    public VersionMismatchException() {
        super("The orchestrator was changed meanwhile. Fetch it again and retry.");
    }
}
