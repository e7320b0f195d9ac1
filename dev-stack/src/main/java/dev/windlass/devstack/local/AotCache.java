package dev.windlass.devstack.local;

import dev.windlass.devstack.Files2;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A service's ahead-of-time cache (JDK 25: JEP 483, 514 and 515): classes loaded and linked, and method profiles, from
 * a training run, so that the next start skips that work. The local suite keeps, per service, in
 * {@code <state>/aot/<service>/}: a copy of the built {@code quarkus-app} directory that the service runs from, the
 * cache trained on that copy ({@code app.aot}), and the key of both ({@code key}).
 *
 * <p>The JVM does not check that a cache matches the classes it runs: started with the cache of an older jar, it
 * runs the older jar's classes (seen with Temurin 25.0.3 on a rebuilt jar of another size). Quarkus' build is not
 * byte-for-byte reproducible either: Hibernate's proxies get random field names and the recorded start-up steps
 * other numbers at each build, so a cache trained on one build must not serve the next one's files. Hence the
 * copy: the service runs the very bytes the cache was trained on, and the copy and cache are made again only when
 * the key changes. The key covers the JDK's {@code release} file, the JVM options, and every file of the build
 * except the class-data archive: a jar by its entries' names, sizes and CRC-32s (each build writes new timestamps
 * into its jars); Quarkus' generated jars ({@code quarkus/*.jar}) by their entries' names only, since they are made
 * from the application's classes, libraries and settings, which the key covers byte for byte, and their bytes (even
 * their sizes) differ from build to build. A build that changes nothing keeps the cache; one that changes a class, a
 * library or a setting in {@code application.properties} trains a new one. (A build-time setting given on the build's
 * command line only is not seen: {@code --fresh} starts over.)
 */
public final class AotCache {

    /** The first JDK with {@code -XX:AOTCacheOutput}, the one-step training run (JEP 514). */
    public static final int FIRST_JDK = 25;

    private final Path dir;
    private final Path build;
    private final String key;

    private AotCache(Path dir, Path build, String key) {
        this.dir = dir;
        this.build = build;
        this.key = key;
    }

    /**
     * The cache of {@code service} (its module under {@code root}) run by the JDK at {@code javaHome} with
     * {@code jvmOptions}, kept under {@code aotDir}.
     */
    public static AotCache of(Path aotDir, Path root, String service, Path javaHome, List<String> jvmOptions)
            throws IOException {
        Path build = root.resolve(service).resolve("target/quarkus-app").toAbsolutePath();
        return new AotCache(aotDir.resolve(service).toAbsolutePath(), build, key(build, javaHome, jvmOptions));
    }

    /** The copy of the build the service runs from. */
    public Path appDirectory() {
        return dir.resolve("quarkus-app");
    }

    /** The cache file. */
    public Path file() {
        return dir.resolve("app.aot");
    }

    private Path keyFile() {
        return dir.resolve("key");
    }

    /** Whether the cache and the copy exist and were made from this build, JDK and options. */
    public boolean isCurrent() throws IOException {
        return Files.exists(file())
                && Files.isDirectory(appDirectory())
                && Files.exists(keyFile())
                && Files.readString(keyFile()).equals(key);
    }

    /**
     * Before a training run: removes the old copy, cache and key (so that a run that writes no cache leaves none to
     * be taken for current) and copies the build. Returns the JVM option that makes the run write the cache when it
     * exits.
     */
    public String beginTraining() throws IOException {
        if (Files.exists(dir)) {
            Files2.deleteRecursively(dir);
        }
        Files.createDirectories(dir);
        try (Stream<Path> all = Files.walk(build)) {
            for (Path from : (Iterable<Path>) all.filter(AotCache::copied)::iterator) {
                Path to = appDirectory().resolve(build.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return "-XX:AOTCacheOutput=" + file();
    }

    /** After a training run that ended: records the key if the JVM wrote the cache; whether it did. */
    public boolean endTraining() throws IOException {
        if (!Files.exists(file()) || Files.size(file()) == 0) {
            return false;
        }
        Files.writeString(keyFile(), key);
        return true;
    }

    /** The JVM option that starts a service on this cache. */
    public String useOption() {
        return "-XX:AOTCache=" + file();
    }

    /**
     * The JDK to run the services on with a cache: {@code WINDLASS_SERVICE_JAVA_HOME} if set (whatever its version;
     * empty when it is older than {@value #FIRST_JDK}), else the running JDK if it is recent enough, else the newest
     * JDK {@value #FIRST_JDK}+ under {@code /usr/lib/jvm}.
     */
    public static Optional<Path> findJdk(Map<String, String> env) {
        String chosen = env.get("WINDLASS_SERVICE_JAVA_HOME");
        if (chosen != null && !chosen.isBlank()) {
            Path home = Path.of(chosen);
            return featureVersion(home) >= FIRST_JDK ? Optional.of(home) : Optional.empty();
        }
        Path own = Path.of(System.getProperty("java.home"));
        if (featureVersion(own) >= FIRST_JDK) {
            return Optional.of(own);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> !Files.isSymbolicLink(home))
                    .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureVersion(home) >= FIRST_JDK)
                    .max(Comparator.comparingInt(AotCache::featureVersion)
                            .thenComparing(home -> home.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The feature version ({@code 17}, {@code 25}) of the JDK at {@code home}, from its {@code release} file; 0 if unknown. */
    public static int featureVersion(Path home) {
        String version = release(home).getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Properties release(Path home) {
        Properties release = new Properties();
        Path file = home.resolve("release");
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                release.load(in);
            } catch (IOException e) {
                // an unreadable release file: version unknown
            }
        }
        return release;
    }

    /** The key of a cache: what it was trained on (see the class comment). */
    static String key(Path app, Path javaHome, List<String> jvmOptions) throws IOException {
        if (!Files.isDirectory(app)) {
            throw new IOException(app + " is missing: build first (./mvnw -B install -DskipTests)");
        }
        MessageDigest digest = sha256();
        update(digest, "jdk " + Files.readString(javaHome.resolve("release")));
        update(digest, "options " + String.join(" ", jvmOptions));
        List<Path> files;
        try (Stream<Path> all = Files.walk(app)) {
            files = all.filter(Files::isRegularFile)
                    .filter(AotCache::copied)
                    .sorted()
                    .toList();
        }
        for (Path f : files) {
            update(digest, "file " + app.relativize(f));
            if (f.getFileName().toString().endsWith(".jar")) {
                updateWithEntries(digest, f, app.relativize(f).startsWith("quarkus"));
            } else {
                try (InputStream in = Files.newInputStream(f)) {
                    digest.update(in.readAllBytes());
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void updateWithEntries(MessageDigest digest, Path jar, boolean generated) throws IOException {
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> entries.add(generated ? e.getName() : describe(e)));
        }
        entries.sort(null);
        entries.forEach(entry -> update(digest, entry));
    }

    /** Whether a file of the build is copied and keyed: all but the class-data archive, made for another JDK. */
    private static boolean copied(Path file) {
        return !file.getFileName().toString().endsWith(".jsa");
    }

    private static String describe(ZipEntry entry) {
        return entry.getName() + " " + entry.getSize() + " " + Long.toHexString(entry.getCrc());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
