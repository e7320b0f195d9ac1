package dev.windlass.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server from the binaries packaged on Maven Central, run as a child process.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root (as CI is), the data directory is
 * given to the unprivileged {@code nobody} user and initdb and the server run as that user.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** The superuser created by initdb; every database belongs to it. */
    public static final String USER = "windlass";
    /** The superuser's password; the server is bound to loopback only. */
    public static final String PASSWORD = "windlass";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean ephemeral;
    private int port;
    private Process server;

    private EmbeddedPostgres(Path dataDir, int port, boolean ephemeral) {
        this.dataDir = dataDir;
        this.port = port;
        this.ephemeral = ephemeral;
    }

    /**
     * A server that keeps its data in {@code dataDir} across restarts.
     *
     * @param port 0 picks a free port once; restarts keep it
     */
    public static EmbeddedPostgres create(Path dataDir, int port) {
        return new EmbeddedPostgres(dataDir, port, false);
    }

    /** A throw-away server for tests: temporary data, durability traded for speed. */
    public static EmbeddedPostgres ephemeral() {
        try {
            Path dir = Files.createTempDirectory("windlass-pg-");
            Files.setPosixFilePermissions(dir, RunAs.worldReadable());
            return new EmbeddedPostgres(dir, 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL of an existing server to use instead ({@code WINDLASS_POSTGRES_JDBC_URL}), or null. */
    public static String externalJdbcUrl() {
        return System.getenv("WINDLASS_POSTGRES_JDBC_URL");
    }

    /** Initialises the data directory if needed and starts the server; returns when it accepts connections. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            if (port == 0) {
                port = FreePorts.pick();
            }
            Path bin = PostgresBinaries.extract().resolve("bin");
            Path data = effectiveDataDir();
            Files.createDirectories(data.getParent());
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initdb(bin, data);
            }
            stopLeftover(bin, data);
            List<String> cmd = new ArrayList<>(List.of(
                    bin.resolve("postgres").toString(),
                    "-D",
                    data.toString(),
                    "-p",
                    Integer.toString(port),
                    "-h",
                    "127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "max_connections=200",
                    "-c",
                    "log_min_messages=warning"));
            if (ephemeral) {
                cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            }
            Path log = data.getParent().resolve(data.getFileName() + ".log");
            server = new ProcessBuilder(RunAs.unprivileged(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitReady(log);
            LOG.fine(() -> "PostgreSQL listening on 127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /**
     * Deletes the data of a server made with {@link #create(Path, int)} for {@code dataDir}, including the directory
     * that stands in for it when root's runs keep the data elsewhere; the server must not run.
     */
    public static void deleteData(Path dataDir) {
        if (RunAs.isRoot()) {
            Files2.deleteRecursively(RunAs.sharedDirFor(dataDir));
        }
        Files2.deleteRecursively(dataDir);
    }

    /** Stops the server (fast shutdown: open sessions are ended); the data stays. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.toHandle().children().forEach(ProcessHandle::destroy);
        // SIGINT would be a "fast" shutdown; Java can send only SIGTERM ("smart": waits for
        // clients), so ask pg_ctl for the fast one and fall back to killing the process.
        try {
            Path bin = PostgresBinaries.extract().resolve("bin");
            run(RunAs.unprivileged(List.of(
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "-D",
                    effectiveDataDir().toString(),
                    "-m",
                    "fast",
                    "-w")));
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | RuntimeException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
        server = null;
    }

    /** Stops and starts the server on the same port with the same data. */
    public void restart() {
        stop();
        start();
    }

    /** Whether the server process is alive. */
    public synchronized boolean isRunning() {
        return server != null && server.isAlive();
    }

    /** The server's TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a lower-case identifier: " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/database}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The URL form the Vert.x reactive PostgreSQL client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Kills the server without letting it shut down, as a crash would. */
    public synchronized void kill() {
        if (server != null) {
            server.destroyForcibly();
            try {
                server.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
        if (ephemeral) {
            Files2.deleteRecursively(dataDir);
        }
    }

    /** Where the cluster lives; root's runs live where the unprivileged user can reach them. */
    private Path effectiveDataDir() {
        if (!RunAs.isRoot() || RunAs.reachableByOthers(dataDir.resolve("pgdata"))) {
            return dataDir.resolve("pgdata");
        }
        Path shadow = RunAs.sharedDirFor(dataDir).resolve("pgdata");
        LOG.fine(() -> "running as root: PostgreSQL data kept in " + shadow);
        return shadow;
    }

    private void initdb(Path bin, Path data) throws IOException {
        Files.createDirectories(data);
        RunAs.handOver(data);
        Path pwFile = Files.createTempFile(PostgresBinaries.home(), "pw", ".txt");
        try {
            Files.writeString(pwFile, PASSWORD + "\n");
            RunAs.handOver(pwFile);
            run(RunAs.unprivileged(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "--pwfile=" + pwFile,
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync")));
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    /** A server left behind by a JVM that died holds the data directory: stop it first. */
    private void stopLeftover(Path bin, Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            LOG.info(() -> "stopping a PostgreSQL left running from an earlier run (pid " + pid + ")");
            run(RunAs.unprivileged(
                    List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-w")));
        }
    }

    private void awaitReady(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IOException("PostgreSQL exited with " + server.exitValue() + "; see " + log);
            }
            try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD)) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL", e);
            }
        }
        throw new IOException("PostgreSQL not ready after " + START_TIMEOUT + "; see " + log, last);
    }

    static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + new String(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
