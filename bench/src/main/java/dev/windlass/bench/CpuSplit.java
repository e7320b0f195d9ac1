package dev.windlass.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's "split" mode: kube-apiserver and etcd on CPU 0, everything else (this JVM with its Kafka broker,
 * the services, PostgreSQL, and the kubectl processes it starts later, which inherit its affinity) on CPU 1, as in
 * production, where a cluster's API server does not share cores with Windlass. Set with {@code taskset -a -p}, which
 * pins every thread of a process; threads and processes started later inherit their parent's CPUs.
 */
final class CpuSplit {

    /** CPU of kube-apiserver and etcd. */
    static final int CLUSTER_CPU = 0;

    /** CPU of everything else. */
    static final int WINDLASS_CPU = 1;

    private CpuSplit() {}

    /**
     * Pins this process and its descendants; returns the pinned processes by command name and CPU. Fails when the
     * machine has fewer than two CPUs or {@code taskset} refuses.
     */
    static Map<String, Integer> apply() throws IOException, InterruptedException {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new IllegalStateException("split mode needs two CPUs");
        }
        Map<String, Integer> pinned = new LinkedHashMap<>();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(all::add);
        for (ProcessHandle process : all) {
            String command = process.info().command().orElse("?");
            int cpu = isCluster(command) ? CLUSTER_CPU : WINDLASS_CPU;
            Process taskset = new ProcessBuilder(
                            "taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(taskset.getInputStream().readAllBytes());
            if (taskset.waitFor() != 0 && process.isAlive()) {
                throw new IllegalStateException("taskset refused pid " + process.pid() + ": " + output.strip());
            }
            String name = command.substring(command.lastIndexOf('/') + 1);
            pinned.merge(name + " on CPU " + cpu, 1, Integer::sum);
        }
        return pinned;
    }

    static boolean isCluster(String command) {
        return command.endsWith("kube-apiserver") || command.endsWith("etcd");
    }
}
