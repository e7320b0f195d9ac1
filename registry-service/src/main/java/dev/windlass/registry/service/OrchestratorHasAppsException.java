package dev.windlass.registry.service;

import java.util.List;

/** An orchestrator that still has apps is not deleted unless the request says what becomes of them. */
public class OrchestratorHasAppsException extends RuntimeException {

    private final List<OrchestratorApp> apps;

    public OrchestratorHasAppsException(String orchestrator, List<OrchestratorApp> apps) {
        super("orchestrator '" + orchestrator + "' still has " + apps.size() + " app(s): "
                + OrchestratorDeletion.list(apps)
                + "; delete it with cascade=undeploy to undeploy them first, or with cascade=orphan to leave them"
                + " running and forget them");
        this.apps = List.copyOf(apps);
    }

    public List<OrchestratorApp> apps() {
        return apps;
    }
}
