package dev.windlass.deployer.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Installs and removes a minimal MetalLB on a test API server: the {@code metallb-system} namespace and the
 * {@code metallb.io/v1beta1} IPAddressPool and L2Advertisement CRDs of {@code metallb/crds.yaml}.
 */
public final class MetalLbCrds {

    public static final String API_VERSION = "metallb.io/v1beta1";
    public static final String NAMESPACE = "metallb-system";
    private static final List<String> CRDS = List.of("ipaddresspools.metallb.io", "l2advertisements.metallb.io");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private MetalLbCrds() {}

    /** Applies the namespace and the CRDs and waits until the API server serves both kinds. */
    public static void install(KubernetesClient admin) {
        try (InputStream yaml = MetalLbCrds.class.getResourceAsStream("/metallb/crds.yaml")) {
            for (HasMetadata item : admin.load(yaml).items()) {
                admin.resource(item)
                        .fieldManager("windlass-tests")
                        .forceConflicts()
                        .serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(WAIT)
                .until(() -> CRDS.stream().allMatch(name -> established(admin, name))
                        && admin.supports(API_VERSION, "IPAddressPool")
                        && admin.supports(API_VERSION, "L2Advertisement"));
    }

    /** Deletes the CRDs (and with them every pool and advertisement) and waits until they are gone. */
    public static void remove(KubernetesClient admin) {
        CRDS.forEach(name -> admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .delete());
        await().atMost(WAIT)
                .until(() -> CRDS.stream()
                                .allMatch(name -> admin.apiextensions()
                                                .v1()
                                                .customResourceDefinitions()
                                                .withName(name)
                                                .get()
                                        == null)
                        && !admin.supports(API_VERSION, "IPAddressPool"));
    }

    private static boolean established(KubernetesClient admin, String name) {
        CustomResourceDefinition crd = admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .get();
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
