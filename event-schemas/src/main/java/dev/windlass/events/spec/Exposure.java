package dev.windlass.events.spec;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How far a port reaches beyond the pod. */
@RegisterForReflection
public enum Exposure {
    /** Only through the app's ClusterIP Service. */
    CLUSTER,
    /** Through the app's Service and its Ingress; exactly one port may use it, and only with an ingress. */
    INGRESS,
    /** Through an extra Service of type LoadBalancer (MetalLB on K3S). */
    LOAD_BALANCER,
    /** Through an extra Service of type NodePort, optionally with a fixed {@code nodePort}. */
    NODE_PORT
}
