package dev.windlass.devstack.local;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** One Windlass service run as a child JVM from its built {@code quarkus-run.jar}. */
public final class ServiceProcess {

    /** The class-data-sharing archive the build leaves next to {@code quarkus-run.jar}. */
    static final String CDS_ARCHIVE = "app-cds.jsa";

    /**
     * The key of a service's {@code application.properties} that holds its JVM options: its container image runs
     * with them (Quarkus' Jib extension puts them on the image's command line), and so does the local suite, so that
     * a service is tuned in one place (docs/operations.md, "Memory and JVM options").
     */
    static final String JVM_OPTIONS_KEY = "quarkus.jib.jvm-additional-arguments";

    /**
     * The prefix of the keys that name environment variables of a service's container image
     * ({@code quarkus.jib.environment-variables."NAME"=value}); the local suite sets them too, as the image does.
     */
    static final String ENVIRONMENT_PREFIX = "quarkus.jib.environment-variables.";

    private final String name;
    private final String instance;
    private final int port;
    private final Map<String, String> config;
    private final Path root;
    private final Path logs;
    private Process process;
    private boolean exitWithParent;
    private volatile List<String> jvmOptions = List.of();
    private volatile Map<String, String> environment = Map.of();
    private volatile Path javaHome;
    private volatile boolean ownOptions = true;
    private volatile Path appDirectory;

    ServiceProcess(String name, String instance, int port, Map<String, String> config, Path root, Path logs) {
        this.name = name;
        this.instance = instance;
        this.port = port;
        this.config = config;
        this.root = root;
        this.logs = logs;
    }

    /** The module name, e.g. {@code deployer-service}. */
    public String name() {
        return name;
    }

    /** The instance name, unique in the suite (the module name unless several replicas run). */
    public String instance() {
        return instance;
    }

    /** The HTTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The process id while it runs, or -1. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether the process runs. */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Whether the JVM is to get SIGTERM from the kernel when the thread that started it dies ({@code setpriv
     * --pdeathsig}, where {@code setpriv} is installed). The launcher turns it on: its main thread starts the
     * services and lives as long as the launcher, so a launcher killed with SIGKILL takes the services with it.
     * Off for tests, whose threads may end while the suite runs.
     */
    void exitWithParent(boolean on) {
        this.exitWithParent = on;
    }

    /** Starts the service's JVM (again, after a stop or kill). */
    public synchronized void start() throws IOException {
        Path app = appDirectory;
        Path jar = (app != null ? app : root.resolve(name).resolve("target/quarkus-app"))
                .resolve("quarkus-run.jar")
                .toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: build first (./mvnw -B install -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (exitWithParent && Files.isExecutable(setpriv)) {
            // setpriv sets the parent-death signal and execs java: the pid stays the service's own
            cmd.addAll(List.of(setpriv.toString(), "--pdeathsig", "TERM", "--"));
        }
        Path home = javaHome;
        cmd.add((home != null ? home : Path.of(System.getProperty("java.home")))
                .resolve("bin")
                .resolve("java")
                .toString());
        cmd.add("-Xmx256m");
        if (ownOptions) {
            cmd.addAll(ownJvmOptions(root.resolve(name)));
        }
        boolean ownArchive = jvmOptions.stream()
                .anyMatch(o -> o.startsWith("-XX:AOTCache") || o.startsWith("-XX:SharedArchiveFile"));
        if (home == null && !ownArchive && Files.exists(jar.resolveSibling(CDS_ARCHIVE))) {
            // the build's class-data archive (quarkus.package.jar.appcds.enabled); it holds class paths relative to
            // the jar's directory, hence the JVM runs there. A JDK other than the build's ignores it (-Xshare:auto).
            cmd.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        cmd.addAll(jvmOptions);
        // settings from a file outside the command line, so that keys and secrets never show in a process list
        cmd.add("-Dquarkus.config.locations=" + writeConfig().toUri());
        cmd.add("-jar");
        cmd.add(jar.getFileName().toString());
        ProcessBuilder builder = new ProcessBuilder(cmd);
        if (ownOptions) {
            builder.environment().putAll(ownEnvironment(root.resolve(name)));
        }
        builder.environment().putAll(environment);
        process = builder.directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        logs.resolve(instance + ".log").toFile()))
                .start();
    }

    /**
     * The JVM options the service's {@code application.properties} names under {@link #JVM_OPTIONS_KEY} (a
     * comma-separated list), as the build copied it to {@code target/classes}; none when it names none.
     */
    public static List<String> ownJvmOptions(Path module) throws IOException {
        String value = builtProperties(module).getProperty(JVM_OPTIONS_KEY, "").trim();
        return value.isEmpty()
                ? List.of()
                : Arrays.stream(value.split("\\s*,\\s*"))
                        .filter(option -> !option.isEmpty())
                        .toList();
    }

    /**
     * The environment variables the service's {@code application.properties} gives its container image
     * ({@link #ENVIRONMENT_PREFIX}, the name quoted or not); none when it names none.
     */
    public static Map<String, String> ownEnvironment(Path module) throws IOException {
        Properties props = builtProperties(module);
        Map<String, String> environment = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(ENVIRONMENT_PREFIX)) {
                String variable = key.substring(ENVIRONMENT_PREFIX.length()).replace("\"", "");
                environment.put(variable, props.getProperty(key).trim());
            }
        }
        return environment;
    }

    /** The service's {@code application.properties} as the build copied it to {@code target/classes}. */
    private static Properties builtProperties(Path module) throws IOException {
        Path file = module.resolve("target/classes/application.properties");
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                props.load(in);
            }
        }
        return props;
    }

    /**
     * Writes the service's settings to {@code run/<instance>/config/application.properties} (readable by the owner
     * only) and returns that file, which the JVM is pointed at; keys and secrets never show on a command line.
     */
    private Path writeConfig() throws IOException {
        Path dir = logs.getParent().resolve("run").resolve(instance);
        Path file = dir.resolve("config").resolve("application.properties");
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties props = new Properties();
        props.putAll(config);
        props.setProperty("quarkus.http.port", Integer.toString(port));
        props.setProperty("quarkus.http.host", "127.0.0.1");
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "written by the local suite at each start");
        }
        return file;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early if the process exits. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(
                        name + " exited with " + process.exitValue() + "; see " + logs.resolve(instance + ".log"));
            }
            try {
                HttpResponse<Void> r =
                        http.send(HttpRequest.newBuilder(ready).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " not ready after " + timeout + "; see " + logs.resolve(instance + ".log"));
    }

    /** Kills the JVM at once (SIGKILL), as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the JVM gracefully (SIGTERM, then SIGKILL after 20 s). */
    public synchronized void stop() {
        stop(Duration.ofSeconds(20));
    }

    /**
     * Stops the JVM with SIGTERM, waiting up to {@code grace} for it to end (longer than the default when the JVM
     * writes something at exit, such as an ahead-of-time cache) before it is killed.
     */
    public synchronized void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Extra JVM options for the next {@link #start()} (e.g. {@code -XX:StartFlightRecording=...} to profile a
     * benchmark); they are added after {@code -Xmx256m} and the service's own options.
     */
    public void jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
    }

    /**
     * Extra environment variables for the next {@link #start()} (a benchmark's variant); they are set after the
     * service's own ({@link #ownEnvironment}).
     */
    public void environment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
    }

    /**
     * The JDK that runs the next {@link #start()} (null: the launcher's own). The build's class-data archive is only
     * used with the launcher's JDK, which made it.
     */
    public void javaHome(Path home) {
        this.javaHome = home;
    }

    /**
     * Whether the next {@link #start()} adds the service's own JVM options ({@link #JVM_OPTIONS_KEY}) and
     * environment variables ({@link #ENVIRONMENT_PREFIX}); on unless a benchmark compares a start without them.
     */
    public void ownOptions(boolean on) {
        this.ownOptions = on;
    }

    /**
     * The {@code quarkus-app} directory the next {@link #start()} runs (null: the build's,
     * {@code <module>/target/quarkus-app}); a copy with an ahead-of-time cache trained on it ({@link AotCache}).
     */
    public void appDirectory(Path directory) {
        this.appDirectory = directory;
    }

    /** Starts {@code replica} as this service starts: the same JDK, application files and extra options. */
    void startsLike(ServiceProcess replica) {
        replica.javaHome = javaHome;
        replica.appDirectory = appDirectory;
        replica.jvmOptions = jvmOptions;
        replica.environment = environment;
        replica.ownOptions = ownOptions;
    }

    /** The service's settings (for a replica with the same ones). */
    Map<String, String> config() {
        return config;
    }
}
