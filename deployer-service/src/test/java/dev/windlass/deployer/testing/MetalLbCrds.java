package dev.windlass.deployer.testing;

import dev.windlass.devstack.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Installs and removes a minimal MetalLB on a test API server: the {@code metallb-system} namespace and the
 * {@code metallb.io/v1beta1} IPAddressPool and L2Advertisement CRDs of {@code metallb/crds.yaml}.
 */
public final class MetalLbCrds {

    public static final String API_VERSION = "metallb.io/v1beta1";
    public static final String NAMESPACE = "metallb-system";
    private static final Crds CRDS = new Crds(
            "/metallb/crds.yaml",
            List.of("ipaddresspools.metallb.io", "l2advertisements.metallb.io"),
            API_VERSION,
            List.of("IPAddressPool", "L2Advertisement"));

    private MetalLbCrds() {}

    /** Applies the namespace and the CRDs and waits until the API server serves both kinds. */
    public static void install(KubernetesClient admin) {
        CRDS.install(admin);
    }

    /** Deletes the CRDs (and with them every pool and advertisement) and waits until they are gone. */
    public static void remove(KubernetesClient admin) {
        CRDS.remove(admin);
    }
}
