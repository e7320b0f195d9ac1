package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.PortSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the app's Services: {@code <app>} (ClusterIP) for CLUSTER and INGRESS ports, {@code <app>-lb}
 * (LoadBalancer) and {@code <app>-np} (NodePort) for the other exposures. A Service appears only when it has ports.
 */
final class ServiceRenderer {

    List<Service> render(String namespace, AppSpec spec, int revision) {
        String app = spec.name();
        List<Service> services = new ArrayList<>();
        service(namespace, spec, revision, app, "ClusterIP", EnumSet.of(Exposure.CLUSTER, Exposure.INGRESS), services);
        service(
                namespace,
                spec,
                revision,
                ObjectNames.loadBalancer(app),
                "LoadBalancer",
                EnumSet.of(Exposure.LOAD_BALANCER),
                services);
        service(
                namespace,
                spec,
                revision,
                ObjectNames.nodePort(app),
                "NodePort",
                EnumSet.of(Exposure.NODE_PORT),
                services);
        return services;
    }

    private static void service(
            String namespace,
            AppSpec spec,
            int revision,
            String name,
            String type,
            Set<Exposure> exposures,
            List<Service> services) {
        List<ServicePort> ports = spec.ports().stream()
                .filter(p -> exposures.contains(p.exposure()))
                .map(ServiceRenderer::port)
                .toList();
        if (ports.isEmpty()) {
            return;
        }
        services.add(new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(WindlassLabels.of(spec.name(), revision))
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withSelector(WindlassLabels.selector(spec.name()))
                .withPorts(ports)
                .endSpec()
                .build());
    }

    private static ServicePort port(PortSpec port) {
        return new ServicePortBuilder()
                .withName(port.name())
                .withProtocol(port.protocol().name())
                .withPort(port.containerPort())
                .withTargetPort(new IntOrString(port.containerPort()))
                .withNodePort(port.exposure() == Exposure.NODE_PORT ? port.nodePort() : null)
                .build();
    }
}
