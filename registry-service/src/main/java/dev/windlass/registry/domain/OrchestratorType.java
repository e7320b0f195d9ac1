package dev.windlass.registry.domain;

/** The Kubernetes distribution an orchestrator runs. */
public enum OrchestratorType {
    K3S,
    K8S,
    EKS,
    GKE,
    AKS
}
