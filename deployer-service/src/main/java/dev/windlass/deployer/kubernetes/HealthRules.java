package dev.windlass.deployer.kubernetes;

import dev.windlass.events.app.HealthStatus;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of a live object, by the rules Argo CD applies to the built-in kinds (gitops-engine {@code pkg/health}:
 * Deployment, Pod, Service, Ingress, PersistentVolumeClaim; docs/api.md cites each). Kinds without a rule (Secret,
 * NetworkPolicy, MetalLB's pools) have no health: {@link #of} answers empty. An object being deleted is Progressing.
 */
public final class HealthRules {

    private HealthRules() {}

    /** The object's health, empty for a kind without a rule. */
    public static Optional<Health> of(HasMetadata object) {
        if (object.getMetadata().getDeletionTimestamp() != null) {
            return Optional.of(Health.of(HealthStatus.Progressing, "Pending deletion"));
        }
        Health health = null;
        if (object instanceof Deployment deployment) {
            health = deployment(deployment);
        } else if (object instanceof Pod pod) {
            health = pod(pod);
        } else if (object instanceof Service service) {
            health = service(service);
        } else if (object instanceof Ingress ingress) {
            health = ingress(ingress);
        } else if (object instanceof PersistentVolumeClaim claim) {
            health = claim(claim);
        }
        return Optional.ofNullable(health);
    }

    /**
     * A paused Deployment is Suspended; one whose controller has seen its generation is Degraded when its
     * {@code Progressing} condition says {@code ProgressDeadlineExceeded}, Progressing while replicas are not yet
     * updated, old ones not yet gone or updated ones not yet available, else Healthy; one whose generation the
     * controller has not seen yet is Progressing.
     */
    static Health deployment(Deployment deployment) {
        if (Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            return Health.of(HealthStatus.Suspended, "Deployment is paused");
        }
        DeploymentStatus status = Objects.requireNonNullElseGet(deployment.getStatus(), DeploymentStatus::new);
        long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        if (generation > Objects.requireNonNullElse(status.getObservedGeneration(), 0L)) {
            return Health.of(
                    HealthStatus.Progressing,
                    "Waiting for rollout to finish: the controller has not seen generation " + generation + " yet");
        }
        boolean deadlineExceeded =
                Objects.requireNonNullElse(status.getConditions(), List.<DeploymentCondition>of()).stream()
                        .anyMatch(c ->
                                "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        if (deadlineExceeded) {
            return Health.of(
                    HealthStatus.Degraded,
                    "Deployment " + deployment.getMetadata().getName() + " exceeded its progress deadline");
        }
        int updated = count(status.getUpdatedReplicas());
        int replicas = count(status.getReplicas());
        int available = count(status.getAvailableReplicas());
        Integer desired = deployment.getSpec().getReplicas();
        if (desired != null && updated < desired) {
            return Health.of(
                    HealthStatus.Progressing,
                    "Waiting for rollout to finish: " + updated + " of " + desired + " new replicas updated");
        }
        if (replicas > updated) {
            return Health.of(
                    HealthStatus.Progressing,
                    "Waiting for rollout to finish: " + (replicas - updated) + " old replicas pending termination");
        }
        if (available < updated) {
            return Health.of(
                    HealthStatus.Progressing,
                    "Waiting for rollout to finish: " + available + " of " + updated + " updated replicas available");
        }
        return Health.healthy();
    }

    /**
     * A Pod that restarts its containers (restart policy Always) with a container waiting for a reason starting with
     * {@code Err} or ending in {@code Error} or {@code BackOff} (CrashLoopBackOff, ImagePullBackOff, ErrImagePull,
     * CreateContainerConfigError) is Degraded; otherwise by phase: Pending is Progressing, Succeeded Healthy, Failed
     * Degraded (with the reason a container ended, OOMKilled among them), Running Healthy when ready, Degraded when
     * not ready and a container has terminated before, Progressing otherwise.
     */
    static Health pod(Pod pod) {
        String restartPolicy = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
        boolean restarts = restartPolicy == null || "Always".equals(restartPolicy);
        var status = pod.getStatus();
        if (status == null) {
            return Health.of(HealthStatus.Progressing, "no status reported yet");
        }
        List<ContainerStatus> containers = Objects.requireNonNullElse(status.getContainerStatuses(), List.of());
        if (restarts) {
            List<String> problems = new ArrayList<>();
            for (ContainerStatus container : containers) {
                ContainerStateWaiting waiting = container.getState() == null
                        ? null
                        : container.getState().getWaiting();
                String reason = waiting == null ? null : waiting.getReason();
                if (reason != null
                        && (reason.startsWith("Err") || reason.endsWith("Error") || reason.endsWith("BackOff"))) {
                    problems.add(container.getName() + ": " + reason
                            + lastTermination(container)
                                    .map(t -> " (last terminated: " + t + ")")
                                    .orElse("")
                            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
                }
            }
            if (!problems.isEmpty()) {
                return Health.of(HealthStatus.Degraded, String.join("; ", problems));
            }
        }
        String phase = Objects.requireNonNullElse(status.getPhase(), "");
        return switch (phase) {
            case "Pending" -> Health.of(HealthStatus.Progressing, status.getMessage());
            case "Succeeded" -> Health.of(HealthStatus.Healthy, status.getMessage());
            case "Failed" -> Health.of(HealthStatus.Degraded, failure(pod, containers));
            case "Running" -> {
                if (!restarts) {
                    yield Health.of(HealthStatus.Progressing, status.getMessage());
                }
                if (ready(pod)) {
                    yield Health.of(HealthStatus.Healthy, status.getMessage());
                }
                Optional<String> terminated = containers.stream()
                        .flatMap(c -> lastTermination(c).stream())
                        .findFirst();
                yield terminated.isPresent()
                        ? Health.of(HealthStatus.Degraded, "not ready; a container terminated: " + terminated.get())
                        : Health.of(HealthStatus.Progressing, status.getMessage());
            }
            default -> Health.of(HealthStatus.Unknown, status.getMessage());
        };
    }

    /** A LoadBalancer Service is Healthy once it has an address, Progressing before; other Services are Healthy. */
    static Health service(Service service) {
        if (!"LoadBalancer".equals(service.getSpec().getType())) {
            return Health.healthy();
        }
        return address(service).isPresent()
                ? Health.healthy()
                : Health.of(HealthStatus.Progressing, "waiting for the load balancer to assign an address");
    }

    /** An Ingress is Healthy once its controller reports an address, Progressing before. */
    static Health ingress(Ingress ingress) {
        return address(ingress).isPresent()
                ? Health.healthy()
                : Health.of(HealthStatus.Progressing, "waiting for the ingress controller to report an address");
    }

    /** A claim is Healthy when Bound, Progressing when Pending, Degraded when Lost. */
    static Health claim(PersistentVolumeClaim claim) {
        String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
        return switch (Objects.requireNonNullElse(phase, "")) {
            case "Bound" -> Health.healthy();
            case "Pending" -> Health.of(HealthStatus.Progressing, "waiting for a volume to be bound");
            case "Lost" -> Health.of(HealthStatus.Degraded, "the claim lost its volume");
            default -> Health.of(HealthStatus.Unknown, phase == null ? "no phase reported" : "phase " + phase);
        };
    }

    /** The address a LoadBalancer Service was given (IP or host name). */
    static Optional<String> address(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null) {
            return Optional.empty();
        }
        return Objects.requireNonNullElse(
                        service.getStatus().getLoadBalancer().getIngress(), List.<LoadBalancerIngress>of())
                .stream()
                .map(i -> i.getIp() != null ? i.getIp() : i.getHostname())
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** The address an Ingress controller reported (IP or host name). */
    static Optional<String> address(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) {
            return Optional.empty();
        }
        return Objects.requireNonNullElse(
                        ingress.getStatus().getLoadBalancer().getIngress(), List.<IngressLoadBalancerIngress>of())
                .stream()
                .map(i -> i.getIp() != null ? i.getIp() : i.getHostname())
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** Whether the Pod's Ready condition is True. */
    static boolean ready(Pod pod) {
        return Objects.requireNonNullElse(pod.getStatus().getConditions(), List.<PodCondition>of()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Why the container's last run ended: its reason (OOMKilled, Error, Completed) and exit code. */
    static Optional<String> lastTermination(ContainerStatus container) {
        ContainerStateTerminated last = container.getLastState() == null
                ? null
                : container.getLastState().getTerminated();
        if (last == null) {
            return Optional.empty();
        }
        return Optional.of(Objects.requireNonNullElse(last.getReason(), "terminated") + ", exit code "
                + Objects.requireNonNullElse(last.getExitCode(), 0));
    }

    private static String failure(Pod pod, List<ContainerStatus> containers) {
        if (pod.getStatus().getMessage() != null
                && !pod.getStatus().getMessage().isBlank()) {
            return pod.getStatus().getMessage();
        }
        for (ContainerStatus container : containers) {
            ContainerStateTerminated ended =
                    container.getState() == null ? null : container.getState().getTerminated();
            if (ended != null) {
                if (ended.getMessage() != null && !ended.getMessage().isBlank()) {
                    return ended.getMessage();
                }
                if ("OOMKilled".equals(ended.getReason())) {
                    return container.getName() + ": OOMKilled";
                }
                if (ended.getExitCode() != null && ended.getExitCode() != 0) {
                    return "container " + container.getName() + " failed with exit code " + ended.getExitCode();
                }
            }
        }
        return null;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
