package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutEvaluatorTest {

    @Test
    void anUnobservedGenerationIsProgressing() {
        Deployment deployment = deployment(
                2,
                3,
                5,
                new DeploymentStatusBuilder()
                        .withObservedGeneration(4L)
                        .withReplicas(3)
                        .withUpdatedReplicas(3)
                        .withAvailableReplicas(3)
                        .build());

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.PROGRESSING, "waiting for the deployment controller to observe generation 5"));
    }

    @Test
    void everyReplicaUpdatedAndAvailableWithNoOldOneIsSuccess() {
        Deployment deployment = deployment(2, 3, 5, status(5, 3, 3, 3));

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(
                        new RolloutUpdate(RolloutState.SUCCEEDED, "revision 2: 3 of 3 replicas updated and available"));
    }

    @Test
    void oldReplicasStillRunningAreProgress() {
        Deployment deployment = deployment(2, 3, 5, status(5, 4, 3, 3));

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.PROGRESSING,
                        "revision 2: 3 of 3 replicas updated, 3 available, 1 old pending termination"));
    }

    @Test
    void updatedButNotAvailableIsProgress() {
        Deployment deployment = deployment(2, 3, 5, status(5, 3, 3, 1));

        assertThat(RolloutEvaluator.evaluate(deployment, 2).state()).isEqualTo(RolloutState.PROGRESSING);
    }

    @Test
    void zeroReplicasSucceedOnceObserved() {
        Deployment deployment = deployment(
                1,
                0,
                1,
                new DeploymentStatusBuilder().withObservedGeneration(1L).build());

        assertThat(RolloutEvaluator.evaluate(deployment, 1).state()).isEqualTo(RolloutState.SUCCEEDED);
    }

    @Test
    void theControllersProgressDeadlineIsFailure() {
        Deployment deployment = deployment(
                2,
                1,
                5,
                new DeploymentStatusBuilder(status(5, 1, 1, 0))
                        .addToConditions(new DeploymentConditionBuilder()
                                .withType("Progressing")
                                .withStatus("False")
                                .withReason("ProgressDeadlineExceeded")
                                .withMessage("ReplicaSet \"web-1\" has timed out progressing.")
                                .build())
                        .build());

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.FAILED,
                        "ProgressDeadlineExceeded: ReplicaSet \"web-1\" has timed out progressing."));
    }

    @Test
    void podsRefusedByAdmissionFailAtOnceWithTheAdmissionMessage() {
        Deployment deployment = deployment(
                2,
                1,
                5,
                replicaFailure("pods \"web-1\" is forbidden: violates"
                        + " PodSecurity \"restricted:latest\": runAsNonRoot != true"));

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.FAILED,
                        "FailedCreate: pods \"web-1\" is forbidden: violates PodSecurity \"restricted:latest\":"
                                + " runAsNonRoot != true (the namespace's admission refuses the pods; see security in"
                                + " the spec and the namespace's Pod Security labels)"));
    }

    @Test
    void anExceededQuotaIsReportedWhileProgressing() {
        Deployment deployment = deployment(
                2,
                1,
                5,
                replicaFailure("pods \"web-1\" is forbidden: exceeded quota:"
                        + " compute, requested: cpu=1, used: cpu=4, limited: cpu=4"));

        assertThat(RolloutEvaluator.evaluate(deployment, 2))
                .isEqualTo(new RolloutUpdate(
                        RolloutState.PROGRESSING,
                        "revision 2: 0 of 1 replicas updated, 0 available; FailedCreate: pods \"web-1\" is"
                                + " forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=4, limited:"
                                + " cpu=4"));
    }

    private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus replicaFailure(String message) {
        return new DeploymentStatusBuilder(status(5, 0, 0, 0))
                .addToConditions(new DeploymentConditionBuilder()
                        .withType("ReplicaFailure")
                        .withStatus("True")
                        .withReason("FailedCreate")
                        .withMessage(message)
                        .build())
                .build();
    }

    @Test
    void aNewerRevisionSupersedes() {
        assertThat(RolloutEvaluator.evaluate(deployment(3, 1, 5, status(5, 1, 1, 1)), 2))
                .isEqualTo(new RolloutUpdate(RolloutState.FAILED, "Superseded: revision 3 replaced revision 2"));
    }

    @Test
    void anOlderRevisionIsWaitedFor() {
        assertThat(RolloutEvaluator.evaluate(deployment(1, 1, 5, status(5, 1, 1, 1)), 2))
                .isEqualTo(
                        new RolloutUpdate(RolloutState.PROGRESSING, "waiting for revision 2 to reach the Deployment"));
    }

    @Test
    void aPassedDeadlineNamesTheReplicasAndThePodsProblems() {
        assertThat(RolloutEvaluator.deadlineExceeded(
                        "web",
                        2,
                        Duration.ofMinutes(5),
                        deployment(2, 3, 5, status(5, 3, 3, 1)),
                        List.of("ImagePullBackOff: pod web-a: Back-off pulling image")))
                .isEqualTo("ProgressDeadlineExceeded: revision 2 of web not available within PT5M"
                        + " (revision 2: 3 of 3 replicas updated, 1 available);"
                        + " ImagePullBackOff: pod web-a: Back-off pulling image");
        assertThat(RolloutEvaluator.deadlineExceeded("web", 2, Duration.ofSeconds(30), null, List.of()))
                .isEqualTo("ProgressDeadlineExceeded: revision 2 of web not available within PT30S");
    }

    private static Deployment deployment(
            int revision, int replicas, long generation, io.fabric8.kubernetes.api.model.apps.DeploymentStatus status) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withGeneration(generation)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(WindlassLabels.of("web", revision))
                .endMetadata()
                .endTemplate()
                .endSpec()
                .withStatus(status)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.apps.DeploymentStatus status(
            long observed, int replicas, int updated, int available) {
        return new DeploymentStatusBuilder()
                .withObservedGeneration(observed)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(available)
                .withAvailableReplicas(available)
                .build();
    }
}
