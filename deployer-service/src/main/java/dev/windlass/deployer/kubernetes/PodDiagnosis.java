package dev.windlass.deployer.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Explains why a revision's pods are not available, where their status shows it: unschedulable pods and
 * containers waiting on image pulls or failing to start.
 */
final class PodDiagnosis {

    /** Container waiting reasons worth reporting. */
    static final Set<String> WAITING_REASONS = Set.of(
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
            "CreateContainerConfigError",
            "CreateContainerError",
            "CrashLoopBackOff");

    private PodDiagnosis() {}

    /** One line per problem found, e.g. {@code Unschedulable: pod web-abc: 0/3 nodes are available…}. */
    static List<String> problems(List<Pod> pods) {
        List<String> problems = new ArrayList<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (pod.getStatus() == null) {
                continue;
            }
            List<PodCondition> conditions = pod.getStatus().getConditions() == null
                    ? List.of()
                    : pod.getStatus().getConditions();
            conditions.stream()
                    .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                    .filter(c -> "Unschedulable".equals(c.getReason()))
                    .findFirst()
                    .ifPresent(c -> problems.add("Unschedulable: pod " + name + ": " + c.getMessage()));
            List<ContainerStatus> containers = pod.getStatus().getContainerStatuses() == null
                    ? List.of()
                    : pod.getStatus().getContainerStatuses();
            for (ContainerStatus container : containers) {
                if (container.getState() != null
                        && container.getState().getWaiting() != null
                        && WAITING_REASONS.contains(
                                container.getState().getWaiting().getReason())) {
                    String message = container.getState().getWaiting().getMessage();
                    problems.add(container.getState().getWaiting().getReason() + ": pod " + name
                            + (message == null ? "" : ": " + message));
                }
            }
        }
        return problems.stream().distinct().toList();
    }
}
