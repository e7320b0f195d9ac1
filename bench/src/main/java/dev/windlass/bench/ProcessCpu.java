package dev.windlass.bench;

import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.devstack.local.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the suite's processes, by component, from {@code /proc}: where the time of a benchmark run goes, and so
 * where the bottleneck is. "harness" is this JVM, which also runs the Kafka broker, the OIDC issuer and the node
 * simulator.
 */
public final class ProcessCpu {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {}

    /** CPU seconds used so far, by component (deployer replicas are summed under "deployer"). */
    public static Map<String, Double> snapshot(LocalSuite suite, List<ServiceProcess> deployers) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put(
                "deployer",
                sum(deployers.stream()
                        .filter(ServiceProcess::isAlive)
                        .map(ServiceProcess::pid)
                        .toList()));
        cpu.put("registry", sum(List.of(suite.service(LocalSuite.REGISTRY).pid())));
        cpu.put("gateway", sum(List.of(suite.service(LocalSuite.GATEWAY).pid())));
        List<Long> apiServer = new ArrayList<>();
        List<Long> etcd = new ArrayList<>();
        List<Long> postgres = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(p -> {
            String command = p.info().command().orElse("");
            if (command.endsWith("kube-apiserver")) {
                apiServer.add(p.pid());
            } else if (command.endsWith("etcd")) {
                etcd.add(p.pid());
            } else if (command.endsWith("postgres")) {
                postgres.add(p.pid());
            }
        });
        cpu.put("kube-apiserver", sum(apiServer));
        cpu.put("etcd", sum(etcd));
        cpu.put("postgres", sum(postgres));
        cpu.put("harness", sum(List.of(ProcessHandle.current().pid())));
        return cpu;
    }

    /** {@code after - before}, by component. */
    public static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((k, v) -> delta.put(k, Summary.round(v - before.getOrDefault(k, 0.0))));
        return delta;
    }

    /** The component that used the most CPU in {@code delta}. */
    public static String busiest(Map<String, Double> delta) {
        return delta.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse("?");
    }

    private static double sum(List<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            total += seconds(pid);
        }
        return total;
    }

    /** utime + stime (fields 14, 15 of /proc/pid/stat), in seconds; 0 when the process is gone. */
    static double seconds(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size in bytes (VmRSS of /proc/pid/status), or -1. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }
}
