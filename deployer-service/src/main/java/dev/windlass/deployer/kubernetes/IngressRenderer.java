package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.IngressSpec;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the app's Ingress (networking.k8s.io/v1) from host and path to the app's Service on its INGRESS port,
 * with cert-manager TLS and Authentik forward-auth through the app's Traefik Middleware ({@link ForwardAuthRenderer})
 * when asked.
 */
final class IngressRenderer {

    /** cert-manager issues the certificate into {@code <app>-tls} from this ClusterIssuer. */
    static final String CLUSTER_ISSUER = "cert-manager.io/cluster-issuer";
    /** Traefik runs the listed middlewares ({@code <namespace>-<name>@kubernetescrd}) before the app. */
    static final String ROUTER_MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares";

    Optional<Ingress> render(String namespace, AppSpec spec, int revision) {
        IngressSpec ingress = spec.ingress();
        Optional<PortSpec> port = ingressPort(spec);
        if (ingress == null || port.isEmpty()) {
            return Optional.empty();
        }
        String app = spec.name();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (ingress.tlsIssuer() != null) {
            annotations.put(CLUSTER_ISSUER, ingress.tlsIssuer());
        }
        if (ingress.forwardAuth()) {
            annotations.put(ROUTER_MIDDLEWARES, ForwardAuthRenderer.reference(namespace, app));
        }
        return Optional.of(new IngressBuilder()
                .withNewMetadata()
                .withName(app)
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(app, revision))
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .endMetadata()
                .withNewSpec()
                .withIngressClassName(ingress.className())
                .addNewRule()
                .withHost(ingress.host())
                .withNewHttp()
                .addNewPath()
                .withPath(ingress.path())
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(app)
                .withNewPort()
                .withNumber(port.get().containerPort())
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .withTls(
                        ingress.tlsIssuer() == null
                                ? null
                                : List.of(new IngressTLSBuilder()
                                        .withHosts(ingress.host())
                                        .withSecretName(ObjectNames.tlsSecret(app))
                                        .build()))
                .endSpec()
                .build());
    }

    /** The one port the ingress routes to. */
    static Optional<PortSpec> ingressPort(AppSpec spec) {
        return spec.ports().stream()
                .filter(p -> p.exposure() == Exposure.INGRESS)
                .findFirst();
    }
}
