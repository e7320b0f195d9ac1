package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.VolumeSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders one revision of an app spec into the Kubernetes objects Windlass applies, in apply order: Secret,
 * PersistentVolumeClaims, NetworkPolicy, Services, Deployment, the Traefik Middleware of Authentik forward-auth,
 * Ingress. Pure: it never talks to a cluster. The spec
 * is expected to have passed {@code SpecValidator}.
 */
public final class ObjectRenderer {

    /** Namespace of the ingress controller (Traefik on k3s) when none is configured. */
    public static final String DEFAULT_INGRESS_CONTROLLER_NAMESPACE = "kube-system";

    private final DeploymentRenderer deployments = new DeploymentRenderer();
    private final ServiceRenderer services = new ServiceRenderer();
    private final IngressRenderer ingresses = new IngressRenderer();
    private final NetworkPolicyRenderer networkPolicies;

    public ObjectRenderer(String ingressControllerNamespace) {
        this.networkPolicies = new NetworkPolicyRenderer(ingressControllerNamespace);
    }

    /** A renderer with the default ingress controller namespace. */
    public static ObjectRenderer defaults() {
        return new ObjectRenderer(DEFAULT_INGRESS_CONTROLLER_NAMESPACE);
    }

    /**
     * The objects of {@code spec} at {@code revision} in {@code namespace}, for their names and kinds only: a
     * forward-auth Middleware among them has no outpost address.
     */
    public RenderedApp render(String namespace, AppSpec spec, int revision) {
        return render(namespace, spec, revision, null);
    }

    /**
     * The objects of {@code spec} at {@code revision} in {@code namespace} on a cluster whose Authentik outpost answers
     * at {@code outpostUrl} (null when it names none).
     */
    public RenderedApp render(String namespace, AppSpec spec, int revision, String outpostUrl) {
        List<HasMetadata> objects = new ArrayList<>();
        if (!spec.secretEnv().isEmpty()) {
            objects.add(secret(namespace, spec, revision));
        }
        spec.volumes().forEach(volume -> objects.add(claim(namespace, spec.name(), volume, revision)));
        networkPolicies.render(namespace, spec, revision).ifPresent(objects::add);
        objects.addAll(services.render(namespace, spec, revision));
        objects.add(deployments.render(namespace, spec, revision));
        ingresses.render(namespace, spec, revision).ifPresent(ingress -> {
            if (spec.ingress().forwardAuth()) {
                objects.add(ForwardAuthRenderer.render(namespace, spec.name(), revision, outpostUrl));
            }
            objects.add(ingress);
        });
        return new RenderedApp(namespace, spec.name(), revision, objects);
    }

    /**
     * {@code rendered} (by {@link #render(String, AppSpec, int)}) for a cluster whose Authentik outpost answers at
     * {@code outpostUrl}: its forward-auth Middleware, the one object that depends on the cluster, rendered again with
     * that address; the other objects are the same instances.
     */
    public RenderedApp onCluster(RenderedApp rendered, String outpostUrl) {
        if (outpostUrl == null || rendered.objects().stream().noneMatch(TraefikMiddleware.class::isInstance)) {
            return rendered;
        }
        List<HasMetadata> objects = rendered.objects().stream()
                .map(o -> o instanceof TraefikMiddleware
                        ? ForwardAuthRenderer.render(
                                rendered.namespace(), rendered.app(), rendered.revision(), outpostUrl)
                        : o)
                .toList();
        return new RenderedApp(rendered.namespace(), rendered.app(), rendered.revision(), objects);
    }

    private static Secret secret(String namespace, AppSpec spec, int revision) {
        Map<String, String> data = new TreeMap<>();
        Base64.Encoder base64 = Base64.getEncoder();
        spec.secretEnv()
                .forEach((key, value) -> data.put(key, base64.encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(ObjectNames.secret(spec.name()))
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(spec.name(), revision))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    private static PersistentVolumeClaim claim(String namespace, String app, VolumeSpec volume, int revision) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(ObjectNames.claim(app, volume.name()))
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(app, revision))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(volume.storageClass())
                .withNewResources()
                .addToRequests("storage", new Quantity(volume.size()))
                .endResources()
                .endSpec()
                .build();
    }
}
