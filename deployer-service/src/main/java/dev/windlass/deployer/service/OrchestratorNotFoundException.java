package dev.windlass.deployer.service;

/** No orchestrator has this name in the registry. */
public class OrchestratorNotFoundException extends RuntimeException {

    private final String orchestrator;

    public OrchestratorNotFoundException(String orchestrator) {
        super("no orchestrator is named '" + orchestrator + "'");
        this.orchestrator = orchestrator;
    }

    public String orchestrator() {
        return orchestrator;
    }
}
