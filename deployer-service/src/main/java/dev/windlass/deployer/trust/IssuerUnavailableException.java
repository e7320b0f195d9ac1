package dev.windlass.deployer.trust;

/** The identity provider's discovery document or keys cannot be fetched: a record's token cannot be judged yet. */
public class IssuerUnavailableException extends RuntimeException {

    public IssuerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
