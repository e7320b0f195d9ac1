package dev.windlass.registry.service;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;

/**
 * Whether a K3s cluster still runs its own load balancer, ServiceLB (klipper-lb), which answers LoadBalancer Services
 * in MetalLB's place; MetalLB's documentation asks for k3s to run with {@code --disable servicelb}. ServiceLB's pods
 * carry the label {@value #LABEL} (in kube-system unless k3s is told another namespace).
 */
final class ServiceLbCheck {

    /** The label k3s's service-load-balancer controller puts on its pods and DaemonSets. */
    static final String LABEL = "svccontroller.k3s.cattle.io/svcname";

    private ServiceLbCheck() {}

    /** The warning to show, if ServiceLB runs or its presence could not be checked. */
    static Optional<String> warning(KubernetesClient client) {
        List<Pod> pods;
        try {
            pods = client.pods().inAnyNamespace().withLabel(LABEL).list().getItems();
        } catch (KubernetesClientException anyNamespace) {
            try {
                pods = client.pods()
                        .inNamespace("kube-system")
                        .withLabel(LABEL)
                        .list()
                        .getItems();
            } catch (KubernetesClientException kubeSystem) {
                return Optional.of("could not check for K3s's ServiceLB (these credentials may not list pods in"
                        + " kube-system); with MetalLB, k3s must run with --disable servicelb");
            }
        }
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        Pod first = pods.get(0);
        return Optional.of("K3s's ServiceLB (klipper-lb) runs here (" + pods.size() + " pod(s), e.g. "
                + first.getMetadata().getNamespace() + "/" + first.getMetadata().getName()
                + ") and answers LoadBalancer Services in MetalLB's place: restart k3s with --disable servicelb");
    }
}
