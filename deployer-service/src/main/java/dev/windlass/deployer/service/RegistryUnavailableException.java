package dev.windlass.deployer.service;

/** The registry could not say anything about an orchestrator (down, unreachable, refusing our token). */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
