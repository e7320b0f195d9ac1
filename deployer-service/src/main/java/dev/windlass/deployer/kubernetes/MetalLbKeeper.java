package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * Keeps the MetalLB {@code IPAddressPool} and {@code L2Advertisement} of a K3S orchestrator's IP range, so that
 * LoadBalancer Services get addresses. Both are named {@code windlass-<orchestrator>} and live in MetalLB's
 * namespace; they belong to the orchestrator, not to an app, and are never pruned.
 */
public final class MetalLbKeeper {

    /** MetalLB's namespace when none is configured. */
    public static final String DEFAULT_NAMESPACE = "metallb-system";

    static final String API_VERSION = "metallb.io/v1beta1";
    static final ResourceDefinitionContext POOL = context("IPAddressPool", "ipaddresspools");
    static final ResourceDefinitionContext ADVERTISEMENT = context("L2Advertisement", "l2advertisements");

    private final ServerSideApplier applier;
    private final String namespace;

    public MetalLbKeeper(ServerSideApplier applier, String namespace) {
        this.applier = applier;
        this.namespace = namespace;
    }

    /** Whether {@code app} on {@code cluster} needs the pool: a K3S orchestrator with a range, and a LoadBalancer. */
    public static boolean needed(ClusterConnection cluster, RenderedApp app) {
        return ClusterConnection.K3S.equalsIgnoreCase(cluster.type())
                && cluster.metalLbIpRange() != null
                && !cluster.metalLbIpRange().isBlank()
                && app.hasLoadBalancer();
    }

    /**
     * Applies the pool and the advertisement of {@code cluster}'s range; fails permanently, before anything is
     * applied, when MetalLB's CRDs are missing.
     */
    public List<ObjectRef> ensure(KubernetesClient client, ClusterConnection cluster) {
        requireInstalled(client, cluster.name());
        String name = ObjectNames.addressPool(cluster.name());
        GenericKubernetesResource pool = resource(
                POOL, name, Map.of("addresses", List.of(cluster.metalLbIpRange().trim())));
        GenericKubernetesResource advertisement =
                resource(ADVERTISEMENT, name, Map.of("ipAddressPools", List.of(name)));
        applier.apply(client, POOL, pool);
        applier.apply(client, ADVERTISEMENT, advertisement);
        return List.of(ObjectRefs.of(pool), ObjectRefs.of(advertisement));
    }

    /** Fails permanently unless the cluster serves MetalLB's IPAddressPool (API discovery, readable by anyone). */
    static void requireInstalled(KubernetesClient client, String orchestrator) {
        boolean installed;
        try {
            installed = client.supports(API_VERSION, POOL.getKind());
        } catch (KubernetesClientException e) {
            throw ClusterFailures.translate("discover MetalLB on " + orchestrator, e);
        }
        if (!installed) {
            throw ClusterException.permanent(
                    "MetalLB is not installed on " + orchestrator + ": the CRD ipaddresspools.metallb.io is missing");
        }
    }

    private GenericKubernetesResource resource(ResourceDefinitionContext type, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(type.getKind())
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(WindlassLabels.managed())
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("metallb.io")
                .withVersion("v1beta1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
