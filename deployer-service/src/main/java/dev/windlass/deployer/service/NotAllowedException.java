package dev.windlass.deployer.service;

/**
 * The caller's roles allow deploying, but not here: none of its groups may use this orchestrator ({@link #field()}
 * {@code orchestrator}), or the namespace is not one of their destinations ({@code namespace}).
 */
public class NotAllowedException extends RuntimeException {

    private final String field;

    public NotAllowedException(String message) {
        this("orchestrator", message);
    }

    public NotAllowedException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field the refusal is about: {@code orchestrator} or {@code namespace}. */
    public String field() {
        return field;
    }
}
