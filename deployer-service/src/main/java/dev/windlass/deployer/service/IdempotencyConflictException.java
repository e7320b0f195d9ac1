package dev.windlass.deployer.service;

/** An Idempotency-Key was used before with a different request. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request");
    }
}
