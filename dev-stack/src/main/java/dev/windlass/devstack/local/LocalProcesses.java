package dev.windlass.devstack.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's record of its child processes, so that a launcher killed with SIGKILL (no shutdown hook runs)
 * leaves nothing running for long: the next start with the same state directory stops what is still there.
 *
 * <p>The services need no such help (they get SIGTERM from the kernel when the launcher dies, see {@link
 * ServiceProcess#exitWithParent}); etcd and kube-apiserver (started by kube-api-test) and PostgreSQL do. A process is
 * only stopped when its pid and start time both match the record, so a reused pid is left alone.
 */
final class LocalProcesses {

    static final String FILE = "run/processes";

    private LocalProcesses() {}

    /**
     * Writes this JVM and its children now: {@code pid startMillis command} per line, this JVM first. Grandchildren
     * (PostgreSQL's backends) end with their parent.
     */
    static void record(Path state) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(line(ProcessHandle.current()));
        ProcessHandle.current().children().forEach(p -> lines.add(line(p)));
        Path file = state.resolve(FILE);
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }

    /** Removes the record (a clean stop left nothing behind). */
    static void forget(Path state) {
        try {
            Files.deleteIfExists(state.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the processes a killed launcher left running with this state directory; refuses to go on while that
     * launcher itself still runs.
     */
    static void stopLeftovers(Path state, PrintStream out) throws IOException, InterruptedException {
        Path file = state.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        List<ProcessHandle> alive = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Optional<ProcessHandle> p = same(lines.get(i));
            if (i == 0 && p.isPresent()) {
                throw new IllegalStateException("another ./windlass-local (pid "
                        + p.get().pid() + ") runs with " + state + "; stop it first or give another --state");
            }
            p.ifPresent(alive::add);
        }
        if (!alive.isEmpty()) {
            out.printf(
                    "windlass: stopping %d process(es) left running by a launcher that was killed: %s%n",
                    alive.size(),
                    alive.stream()
                            .map(p -> p.pid() + " " + p.info().command().orElse("?"))
                            .toList());
            alive.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : alive) {
                try {
                    p.onExit().get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                }
            }
        }
        Files.delete(file);
    }

    private static String line(ProcessHandle p) {
        return p.pid() + " "
                + p.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + " "
                + p.info().command().orElse("?");
    }

    /** The live process a record line names, if it is still the same process. */
    private static Optional<ProcessHandle> same(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2) {
            return Optional.empty();
        }
        long started = Long.parseLong(parts[1]);
        return ProcessHandle.of(Long.parseLong(parts[0]))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started);
    }
}
