package dev.windlass.deployer.service;

/** A registry could not be asked for tags or a digest; the message says why and never holds a credential. */
public class RegistryPollException extends RuntimeException {

    public RegistryPollException(String message) {
        super(message);
    }

    public RegistryPollException(String message, Throwable cause) {
        super(message, cause);
    }
}
