package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDiagnosisTest {

    @Test
    void namesWaitingContainersAndUnschedulablePods() {
        List<String> problems = PodDiagnosis.problems(List.of(
                waiting("web-a", "ErrImagePull", "rpc error: not found"),
                waiting("web-b", "ContainerCreating", null),
                unschedulable("web-c", "0/2 nodes are available: 2 node(s) had taint"),
                new PodBuilder()
                        .withNewMetadata()
                        .withName("web-d")
                        .endMetadata()
                        .build()));

        assertThat(problems)
                .containsExactly(
                        "ErrImagePull: pod web-a: rpc error: not found",
                        "Unschedulable: pod web-c: 0/2 nodes are available: 2 node(s) had taint");
    }

    @Test
    void healthyPodsHaveNoProblem() {
        assertThat(PodDiagnosis.problems(List.of(new PodBuilder()
                        .withNewMetadata()
                        .withName("web-a")
                        .endMetadata()
                        .withNewStatus()
                        .withPhase("Running")
                        .endStatus()
                        .build())))
                .isEmpty();
    }

    private static Pod waiting(String name, String reason, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("web")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Pod unschedulable(String name, String message) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .endCondition()
                .endStatus()
                .build();
    }
}
