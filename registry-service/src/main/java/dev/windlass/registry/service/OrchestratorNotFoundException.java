package dev.windlass.registry.service;

/** No orchestrator has this id or name. */
public class OrchestratorNotFoundException extends RuntimeException {

    public OrchestratorNotFoundException(Object idOrName) {
        super("No orchestrator '" + idOrName + "'");
    }

    /** For a reference that is neither an id nor a name any orchestrator could have; it is not repeated back. */
    public OrchestratorNotFoundException() {
        super("No orchestrator has this id or name");
    }
}
