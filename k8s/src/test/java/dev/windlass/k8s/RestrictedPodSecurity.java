package dev.windlass.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of the Pod Security Standard "restricted" (Kubernetes 1.25+ definition), for pod specs
 * rendered by the chart. The test API server is 1.20, which has no Pod Security admission, so the
 * chart's tests apply the profile themselves.
 */
final class RestrictedPodSecurity {

    private static final Set<String> ALLOWED_VOLUME_TYPES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

    private RestrictedPodSecurity() {}

    /** What keeps the pod from the restricted profile; empty when it passes. */
    static List<String> violations(PodSpec pod) {
        List<String> problems = new ArrayList<>();
        PodSecurityContext podContext =
                Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
        if (Boolean.TRUE.equals(pod.getHostNetwork())
                || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            problems.add("host namespaces");
        }
        if (podContext.getSysctls() != null && !podContext.getSysctls().isEmpty()) {
            problems.add("sysctls");
        }
        if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
            problems.add("pod runAsUser 0");
        }
        for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
            String type = volumeType(volume);
            if (!ALLOWED_VOLUME_TYPES.contains(type)) {
                problems.add("volume " + volume.getName() + " of type " + type);
            }
        }
        List<Container> containers = new ArrayList<>(pod.getContainers());
        containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
        for (Container container : containers) {
            String name = "container " + container.getName() + ": ";
            SecurityContext context =
                    Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                problems.add(name + "privileged");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                problems.add(name + "allowPrivilegeEscalation must be false");
            }
            Capabilities capabilities = context.getCapabilities();
            if (capabilities == null
                    || capabilities.getDrop() == null
                    || !capabilities.getDrop().contains("ALL")) {
                problems.add(name + "capabilities must drop ALL");
            }
            if (capabilities != null
                    && capabilities.getAdd() != null
                    && !Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd())) {
                problems.add(name + "adds capabilities " + capabilities.getAdd());
            }
            boolean nonRoot = Boolean.TRUE.equals(context.getRunAsNonRoot())
                    || (context.getRunAsNonRoot() == null && Boolean.TRUE.equals(podContext.getRunAsNonRoot()));
            if (!nonRoot) {
                problems.add(name + "runAsNonRoot must be true");
            }
            if (Long.valueOf(0).equals(context.getRunAsUser())) {
                problems.add(name + "runAsUser 0");
            }
            String seccomp = context.getSeccompProfile() != null
                    ? context.getSeccompProfile().getType()
                    : podContext.getSeccompProfile() != null
                            ? podContext.getSeccompProfile().getType()
                            : null;
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                problems.add(name + "seccompProfile must be RuntimeDefault or Localhost");
            }
            if (container.getPorts() != null
                    && container.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                problems.add(name + "host ports");
            }
        }
        return problems;
    }

    private static String volumeType(Volume volume) {
        if (volume.getConfigMap() != null) return "configMap";
        if (volume.getEmptyDir() != null) return "emptyDir";
        if (volume.getSecret() != null) return "secret";
        if (volume.getProjected() != null) return "projected";
        if (volume.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (volume.getDownwardAPI() != null) return "downwardAPI";
        if (volume.getCsi() != null) return "csi";
        if (volume.getEphemeral() != null) return "ephemeral";
        if (volume.getHostPath() != null) return "hostPath";
        return "other";
    }
}
