package dev.windlass.devstack;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the {@link NodeSimulator} makes of a pod template: the ReplicaSet's {@code pod-template-hash}, each
 * container's {@link Behaviour} and the Pod status and log lines a kubelet would report for it. Pure functions; no
 * cluster access.
 */
final class SimulatedPods {

    /** The label the deployment controller puts on a ReplicaSet and its Pods. */
    static final String HASH_LABEL = "pod-template-hash";

    /**
     * A pod template annotation (or Deployment annotation) that chooses what every container of its Pods does:
     * {@code runs}, {@code crash-loop}, {@code image-pull-backoff} or {@code oom-killed}.
     */
    static final String BEHAVIOUR_ANNOTATION = "windlass.dev/simulate";

    /** The characters Kubernetes uses for generated names: no vowels, no look-alikes. */
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    /** What a simulated container does. */
    enum Behaviour {
        /** Starts and stays ready. */
        RUNS("runs", ""),
        /** Exits with status 1 right after starting, again and again: {@code CrashLoopBackOff}. */
        CRASH_LOOP("crash-loop", "crash-loop"),
        /** Its image cannot be pulled: {@code ImagePullBackOff}. */
        IMAGE_PULL_BACKOFF("image-pull-backoff", "no-such-image"),
        /** Killed by the kernel for using more memory than its limit, then backing off: {@code OOMKilled}. */
        OOM_KILLED("oom-killed", "oom-killed");

        private final String annotation;
        private final String imageMarker;

        Behaviour(String annotation, String imageMarker) {
            this.annotation = annotation;
            this.imageMarker = imageMarker;
        }

        /** Whether the container never becomes ready. */
        boolean fails() {
            return this != RUNS;
        }
    }

    private SimulatedPods() {}

    /**
     * What a container does: the annotation's choice when there is one (on the pod template, else on the
     * Deployment), else a marker in its image reference ({@code crash-loop}, {@code no-such-image},
     * {@code oom-killed}), else it runs.
     */
    static Behaviour behaviour(Map<String, String> annotations, String image) {
        String chosen = annotations == null ? null : annotations.get(BEHAVIOUR_ANNOTATION);
        if (chosen != null) {
            for (Behaviour behaviour : Behaviour.values()) {
                if (behaviour.annotation.equals(chosen.trim().toLowerCase(Locale.ROOT))) {
                    return behaviour;
                }
            }
        }
        String reference = image == null ? "" : image.toLowerCase(Locale.ROOT);
        for (Behaviour behaviour : Behaviour.values()) {
            if (!behaviour.imageMarker.isEmpty() && reference.contains(behaviour.imageMarker)) {
                return behaviour;
            }
        }
        return Behaviour.RUNS;
    }

    /** A stable hash of the template, as the deployment controller names ReplicaSets (FNV-1a 32, safe letters). */
    static String templateHash(PodTemplateSpec template) {
        byte[] bytes = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return safe(Integer.toUnsignedLong(hash), 10);
    }

    /** {@code length} safe characters from {@code value}, for generated name suffixes. */
    static String safe(long value, int length) {
        StringBuilder out = new StringBuilder();
        long rest = value;
        for (int i = 0; i < length; i++) {
            out.append(SAFE.charAt((int) Long.remainderUnsigned(rest, SAFE.length())));
            rest = Long.divideUnsigned(rest, SAFE.length());
            if (rest == 0) {
                rest = value * 31 + i + 1;
            }
        }
        return out.toString();
    }

    /** The status a kubelet reports for a Pod whose containers behave as {@code behaviours} says. */
    static PodStatus status(List<Container> containers, Function<Container, Behaviour> behaviours, String podName) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean allReady = true;
        boolean pulled = true;
        for (Container container : containers) {
            Behaviour behaviour = behaviours.apply(container);
            allReady &= !behaviour.fails();
            pulled &= behaviour != Behaviour.IMAGE_PULL_BACKOFF;
            statuses.add(containerStatus(container, behaviour, podName, now));
        }
        String ready = allReady ? "True" : "False";
        return new PodStatusBuilder()
                .withPhase(pulled ? "Running" : "Pending")
                .withHostIP("127.0.0.1")
                .withPodIP("10.244.0." + (1 + Math.floorMod(podName.hashCode(), 250)))
                .withStartTime(now.toString())
                .withQosClass("Burstable")
                .withConditions(
                        condition("Initialized", "True", null, now),
                        condition("Ready", ready, allReady ? null : "ContainersNotReady", now),
                        condition("ContainersReady", ready, allReady ? null : "ContainersNotReady", now),
                        condition("PodScheduled", "True", null, now))
                .withContainerStatuses(statuses)
                .build();
    }

    private static ContainerStatus containerStatus(
            Container container, Behaviour behaviour, String podName, Instant now) {
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withReady(!behaviour.fails())
                .withStarted(!behaviour.fails());
        String started = now.minusSeconds(90).toString();
        String finished = now.minusSeconds(30).toString();
        switch (behaviour) {
            case RUNS ->
                status.withRestartCount(0)
                        .withImageID(imageId(container.getImage()))
                        .withNewState()
                        .withNewRunning(now.toString())
                        .endState();
            case CRASH_LOOP ->
                status.withRestartCount(4)
                        .withImageID(imageId(container.getImage()))
                        .withNewState()
                        .withNewWaiting(
                                "back-off 1m20s restarting failed container=" + container.getName() + " pod=" + podName,
                                "CrashLoopBackOff")
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withReason("Error")
                        .withStartedAt(started)
                        .withFinishedAt(finished)
                        .endTerminated()
                        .endLastState();
            case OOM_KILLED ->
                status.withRestartCount(2)
                        .withImageID(imageId(container.getImage()))
                        .withNewState()
                        .withNewWaiting(
                                "back-off 40s restarting failed container=" + container.getName() + " pod=" + podName,
                                "CrashLoopBackOff")
                        .endState()
                        .withNewLastState()
                        .withNewTerminated()
                        .withExitCode(137)
                        .withReason("OOMKilled")
                        .withStartedAt(started)
                        .withFinishedAt(finished)
                        .endTerminated()
                        .endLastState();
            case IMAGE_PULL_BACKOFF ->
                status.withRestartCount(0)
                        .withImageID("")
                        .withNewState()
                        .withNewWaiting("Back-off pulling image \"" + container.getImage() + "\"", "ImagePullBackOff")
                        .endState();
        }
        return status.build();
    }

    /**
     * The lines a container wrote, or null when it never started (its image was not pulled). A crash-looping
     * container prints its environment before it exits, as badly behaved programs do, so that the log view's
     * masking of secret values is exercised; {@code environment} holds the values as the container would see them.
     */
    static List<String> logLines(Container container, Behaviour behaviour, List<String> environment) {
        String start = "simulated container " + container.getName() + " started from " + container.getImage()
                + " (the dev stack's node simulator: nothing runs)";
        return switch (behaviour) {
            case RUNS -> List.of(start, "listening and ready");
            case CRASH_LOOP ->
                List.of(
                        start,
                        "configuration: " + String.join(" ", environment),
                        "fatal: cannot reach the database: connection refused",
                        "exiting with status 1");
            case OOM_KILLED -> List.of(start, "loading the cache into memory", "cache: 90% of the memory limit used");
            case IMAGE_PULL_BACKOFF -> null;
        };
    }

    private static String imageId(String image) {
        int hash = image == null ? 0 : image.hashCode();
        return "docker-pullable://" + image + "@sha256:" + String.format("%064x", Integer.toUnsignedLong(hash));
    }

    private static PodCondition condition(String type, String status, String reason, Instant now) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withLastTransitionTime(now.toString())
                .build();
    }
}
