package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.ProbeSpec;
import dev.windlass.events.spec.ProbeType;
import dev.windlass.events.spec.ResourceAmounts;
import dev.windlass.events.spec.ResourcesSpec;
import dev.windlass.events.spec.SecuritySpec;
import dev.windlass.events.spec.VolumeSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the app's Deployment: one container named after the app, its pod template carrying the revision. Every pod
 * passes Pod Security's baseline level and most of restricted: seccomp {@code RuntimeDefault}, no privilege
 * escalation, every capability dropped (the spec may give back some baseline allows), no ServiceAccount token unless
 * the spec asks; {@code security.restricted} adds non-root and a read-only root filesystem with an {@code emptyDir}
 * at {@code /tmp}.
 */
final class DeploymentRenderer {

    /**
     * With volumes the old pod goes before the new one starts: a ReadWriteOnce claim cannot be attached to two
     * nodes. The strategy stays RollingUpdate in both cases because switching a live Deployment to Recreate under
     * server-side apply collides with the server-defaulted rollingUpdate block.
     */
    private static final IntOrString SURGE_WITH_VOLUMES = new IntOrString(0);

    private static final IntOrString UNAVAILABLE_WITH_VOLUMES = new IntOrString(1);
    private static final IntOrString DEFAULT_ROLLING = new IntOrString("25%");

    Deployment render(String namespace, AppSpec spec, int revision) {
        String app = spec.name();
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.putAll(WindlassLabels.of(app, revision));
        boolean volumes = !spec.volumes().isEmpty();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(app)
                .withNamespace(namespace)
                .withLabels(labels)
                .withAnnotations(orNull(spec.annotations()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withNewSelector()
                .withMatchLabels(WindlassLabels.selector(app))
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(volumes ? SURGE_WITH_VOLUMES : DEFAULT_ROLLING)
                .withMaxUnavailable(volumes ? UNAVAILABLE_WITH_VOLUMES : DEFAULT_ROLLING)
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(orNull(spec.annotations()))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(security(spec).mountsServiceAccountToken())
                .withNewSecurityContext()
                .withRunAsNonRoot(security(spec).isRestricted() ? Boolean.TRUE : null)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(spec))
                .withVolumes(orNull(volumes(spec)))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(AppSpec spec) {
        ProbeSpecs probes = ProbeSpecs.of(spec);
        return new ContainerBuilder()
                .withName(spec.name())
                .withImage(spec.image())
                .withCommand(orNull(spec.command()))
                .withArgs(orNull(spec.args()))
                .withEnv(orNull(env(spec)))
                .withPorts(orNull(
                        spec.ports().stream().map(DeploymentRenderer::port).toList()))
                .withResources(resources(spec.resources()))
                .withLivenessProbe(probe(probes.liveness()))
                .withReadinessProbe(probe(probes.readiness()))
                .withVolumeMounts(orNull(mounts(spec)))
                .withSecurityContext(containerSecurity(security(spec)))
                .build();
    }

    /** The name of the {@code emptyDir} a restricted pod gets at {@code /tmp}. */
    static final String TMP_VOLUME = "windlass-tmp";

    private static SecuritySpec security(AppSpec spec) {
        return spec.security() == null ? new SecuritySpec(null, null, null) : spec.security();
    }

    /** A restricted pod's writable {@code /tmp}, unless one of the spec's volumes is mounted there. */
    private static boolean writableTmp(AppSpec spec) {
        return security(spec).isRestricted() && spec.volumes().stream().noneMatch(v -> "/tmp".equals(v.mountPath()));
    }

    private static SecurityContext containerSecurity(SecuritySpec security) {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(security.isRestricted() ? Boolean.TRUE : null)
                .withNewCapabilities()
                .withDrop("ALL")
                .withAdd(orNull(security.addCapabilities()))
                .endCapabilities()
                .build();
    }

    private static List<VolumeMount> mounts(AppSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        spec.volumes()
                .forEach(v -> mounts.add(new VolumeMountBuilder()
                        .withName(v.name())
                        .withMountPath(v.mountPath())
                        .build()));
        if (writableTmp(spec)) {
            mounts.add(new VolumeMountBuilder()
                    .withName(TMP_VOLUME)
                    .withMountPath("/tmp")
                    .build());
        }
        return mounts;
    }

    private static io.fabric8.kubernetes.api.model.ContainerPort port(PortSpec port) {
        return new ContainerPortBuilder()
                .withName(port.name())
                .withContainerPort(port.containerPort())
                .withProtocol(port.protocol().name())
                .build();
    }

    /** Plain values inline; secret values only by reference to the app's Secret, never inline. */
    private static List<EnvVar> env(AppSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        spec.env().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        String secret = ObjectNames.secret(spec.name());
        spec.secretEnv()
                .keySet()
                .forEach(name -> env.add(new EnvVarBuilder()
                        .withName(name)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(secret)
                        .withKey(name)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));
        return env;
    }

    private static ResourceRequirements resources(ResourcesSpec resources) {
        if (resources == null) {
            return null;
        }
        Map<String, Quantity> requests = amounts(resources.requests());
        Map<String, Quantity> limits = amounts(resources.limits());
        if (requests == null && limits == null) {
            return null;
        }
        return new ResourceRequirementsBuilder()
                .withRequests(requests)
                .withLimits(limits)
                .build();
    }

    private static Map<String, Quantity> amounts(ResourceAmounts amounts) {
        if (amounts == null) {
            return null;
        }
        Map<String, Quantity> map = new LinkedHashMap<>();
        if (amounts.cpu() != null) {
            map.put("cpu", new Quantity(amounts.cpu()));
        }
        if (amounts.memory() != null) {
            map.put("memory", new Quantity(amounts.memory()));
        }
        return orNull(map);
    }

    private static Probe probe(ProbeSpec probe) {
        if (probe == null) {
            return null;
        }
        // the server omits a zero delay; sending it would make every apply rewrite the Deployment
        ProbeBuilder builder = new ProbeBuilder()
                .withInitialDelaySeconds(probe.initialDelaySeconds() == 0 ? null : probe.initialDelaySeconds())
                .withPeriodSeconds(probe.periodSeconds());
        if (probe.type() == ProbeType.HTTP) {
            builder.withNewHttpGet()
                    .withPath(probe.path())
                    .withPort(new IntOrString(probe.port()))
                    .endHttpGet();
        } else {
            builder.withNewTcpSocket().withPort(new IntOrString(probe.port())).endTcpSocket();
        }
        return builder.build();
    }

    private static List<Volume> volumes(AppSpec spec) {
        List<Volume> volumes = new ArrayList<>();
        for (VolumeSpec volume : spec.volumes()) {
            volumes.add(new VolumeBuilder()
                    .withName(volume.name())
                    .withNewPersistentVolumeClaim()
                    .withClaimName(ObjectNames.claim(spec.name(), volume.name()))
                    .endPersistentVolumeClaim()
                    .build());
        }
        if (writableTmp(spec)) {
            volumes.add(new VolumeBuilder()
                    .withName(TMP_VOLUME)
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .build());
        }
        return volumes;
    }

    private static <T> List<T> orNull(List<T> list) {
        return list.isEmpty() ? null : list;
    }

    private static <V> Map<String, V> orNull(Map<String, V> map) {
        return map.isEmpty() ? null : map;
    }

    /** The spec's probes, either of which may be absent. */
    private record ProbeSpecs(ProbeSpec liveness, ProbeSpec readiness) {
        static ProbeSpecs of(AppSpec spec) {
            return spec.probes() == null
                    ? new ProbeSpecs(null, null)
                    : new ProbeSpecs(spec.probes().liveness(), spec.probes().readiness());
        }
    }
}
