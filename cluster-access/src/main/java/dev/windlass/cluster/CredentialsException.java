package dev.windlass.cluster;

/**
 * Credentials that can never work as stored: a key that cannot be read, a missing field, an unknown auth type, no
 * ServiceAccount mounted. Retrying does not help; the message says what to fix and never quotes a credential.
 */
public class CredentialsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialsException(String message) {
        super(message);
    }
}
