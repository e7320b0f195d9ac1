package dev.windlass.deployer.service;

/** No orchestrator has this name (or id) in the registry. */
public class OrchestratorNotFoundException extends RuntimeException {

    private final String orchestrator;

    public OrchestratorNotFoundException(String orchestrator) {
        super(
                dev.windlass.common.identity.OrchestratorRef.isId(orchestrator)
                        ? "no orchestrator has id " + orchestrator + " (it was deleted)"
                        : "no orchestrator is named '" + orchestrator + "'");
        this.orchestrator = orchestrator;
    }

    public String orchestrator() {
        return orchestrator;
    }
}
