package dev.windlass.deployer.service;

/** The caller's roles allow deploying, but none of its groups may deploy on this orchestrator. */
public class NotAllowedException extends RuntimeException {

    public NotAllowedException(String message) {
        super(message);
    }
}
