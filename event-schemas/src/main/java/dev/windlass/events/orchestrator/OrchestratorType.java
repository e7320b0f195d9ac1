package dev.windlass.events.orchestrator;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The kind of Kubernetes cluster behind an orchestrator. */
@RegisterForReflection
public enum OrchestratorType {
    K3S,
    K8S,
    EKS,
    GKE,
    AKS
}
