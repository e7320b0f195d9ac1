package dev.windlass.registry.service;

/** A change was sent without {@code If-Match}, which updates require. */
public class PreconditionRequiredException extends RuntimeException {

    public PreconditionRequiredException(String message) {
        super(message);
    }
}
