package dev.windlass.registry.service;

/** No orchestrator has this id or name. */
public class OrchestratorNotFoundException extends RuntimeException {

    public OrchestratorNotFoundException(Object idOrName) {
        super("No orchestrator '" + idOrName + "'");
    }
}
