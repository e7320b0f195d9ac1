package dev.windlass.deployer.kubernetes;

/**
 * The orchestrator's connection material changed while an operation was retrying with it (the client it used was
 * replaced or forgotten): the operation stops at once instead of spending its retry budget on material that may
 * point at an API server that is gone or at credentials that were revoked. Transient: the caller fetches the
 * material again and retries.
 */
public final class StaleConnectionException extends ClusterException {

    private static final long serialVersionUID = 1L;

    StaleConnectionException(String orchestrator) {
        super(
                "the connection of orchestrator '" + orchestrator + "' changed while this was under way; trying again"
                        + " with the new one",
                0,
                true,
                null);
    }
}
