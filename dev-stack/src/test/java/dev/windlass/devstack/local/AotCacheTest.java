package dev.windlass.devstack.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a service's ahead-of-time cache may serve a start: only while it was trained on the same build (by content,
 * not timestamps), JDK and options. That the launcher trains and uses the caches is shown in suite-tests'
 * LauncherTest.
 */
class AotCacheTest {

    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx128m");

    @TempDir
    Path root;

    private Path app;
    private Path jdk;

    @BeforeEach
    void build() throws IOException {
        app = Files.createDirectories(root.resolve("svc/target/quarkus-app"));
        jdk = Files.createDirectories(root.resolve("jdk"));
        release(jdk, "25.0.3");
        jar(app.resolve("quarkus-run.jar"), 1, "META-INF/MANIFEST.MF", "Main-Class: io.quarkus.bootstrap.runner\n");
        jar(app.resolve("app/svc.jar"), 1, "dev/Svc.class", "first build");
        jar(app.resolve("lib/main/library.jar"), 1, "lib/Library.class", "library");
        jar(app.resolve("quarkus/generated-bytecode.jar"), 1, "dev/Svc$HibernateProxy.class", "cachedValue$EFMlkBQR");
        Files.writeString(app.resolve("quarkus/quarkus-application.dat"), "recorded");
        Files.writeString(app.resolve("app-cds.jsa"), "class-data archive of this build");
    }

    @Test
    void aRebuildThatChangesNoClassKeepsTheKeyAndAChangedClassLibraryJdkOrOptionChangesIt() throws IOException {
        String first = key();

        // the next build: new timestamps in every jar, other random names in Quarkus' generated classes, a new archive
        jar(app.resolve("app/svc.jar"), 2, "dev/Svc.class", "first build");
        jar(app.resolve("quarkus/generated-bytecode.jar"), 2, "dev/Svc$HibernateProxy.class", "cachedValue$n3uJqnkg");
        Files.writeString(app.resolve("app-cds.jsa"), "class-data archive of the next build");
        assertThat(key()).isEqualTo(first);

        jar(app.resolve("app/svc.jar"), 2, "dev/Svc.class", "a changed class");
        String changedClass = key();
        assertThat(changedClass).isNotEqualTo(first);

        jar(app.resolve("lib/main/library.jar"), 1, "lib/Library.class", "a newer library");
        assertThat(key()).isNotEqualTo(changedClass);

        String now = key();
        release(jdk, "25.0.4");
        assertThat(key()).isNotEqualTo(now);
        assertThat(AotCache.key(app, jdk, List.of("-XX:+UseSerialGC", "-Xmx256m")))
                .isNotEqualTo(key());
    }

    @Test
    void aCacheServesOnlyAfterATrainingRunThatWroteItAndUntilTheBuildChanges() throws IOException {
        Path aot = root.resolve("state/aot");
        AotCache cache = AotCache.of(aot, root, "svc", jdk, OPTIONS);
        assertThat(cache.isCurrent()).isFalse();

        String record = cache.beginTraining();
        assertThat(record)
                .isEqualTo("-XX:AOTCacheOutput=" + aot.resolve("svc/app.aot").toAbsolutePath());
        // the service runs from a copy of the build, so that a later build cannot change what the cache was trained on
        assertThat(cache.appDirectory().resolve("app/svc.jar")).hasSameBinaryContentAs(app.resolve("app/svc.jar"));
        assertThat(cache.appDirectory().resolve("quarkus/quarkus-application.dat"))
                .exists();
        assertThat(cache.appDirectory().resolve("app-cds.jsa")).doesNotExist();
        assertThat(cache.endTraining()).as("the JVM wrote no cache").isFalse();
        assertThat(cache.isCurrent()).isFalse();

        Files.writeString(cache.file(), "a cache the JVM wrote at exit");
        assertThat(cache.endTraining()).isTrue();
        assertThat(AotCache.of(aot, root, "svc", jdk, OPTIONS).isCurrent()).isTrue();
        assertThat(cache.useOption()).isEqualTo("-XX:AOTCache=" + cache.file());

        jar(app.resolve("app/svc.jar"), 3, "dev/Svc.class", "a changed class");
        AotCache afterRebuild = AotCache.of(aot, root, "svc", jdk, OPTIONS);
        assertThat(afterRebuild.isCurrent()).isFalse();
        afterRebuild.beginTraining();
        assertThat(afterRebuild.file()).as("the stale cache is gone").doesNotExist();
        assertThat(afterRebuild.appDirectory().resolve("app/svc.jar"))
                .hasSameBinaryContentAs(app.resolve("app/svc.jar"));
    }

    @Test
    void theServicesRunOnTheJdkTheEnvironmentNamesIfItIsRecentEnough() throws IOException {
        Path jdk21 = Files.createDirectories(root.resolve("jdk21"));
        release(jdk21, "21.0.9");

        assertThat(AotCache.findJdk(Map.of("WINDLASS_SERVICE_JAVA_HOME", jdk.toString())))
                .contains(jdk);
        assertThat(AotCache.findJdk(Map.of("WINDLASS_SERVICE_JAVA_HOME", jdk21.toString())))
                .isEmpty();
        assertThat(AotCache.featureVersion(jdk)).isEqualTo(25);
        assertThat(AotCache.featureVersion(jdk21)).isEqualTo(21);
        assertThat(AotCache.featureVersion(root.resolve("no-jdk-here"))).isZero();
    }

    private String key() throws IOException {
        return AotCache.key(app, jdk, OPTIONS);
    }

    private static void release(Path home, String version) throws IOException {
        Files.writeString(
                home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
    }

    /** A jar of one entry whose timestamp is {@code build} days after the epoch. */
    private static void jar(Path file, int build, String entry, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(entry);
            e.setLastModifiedTime(FileTime.fromMillis(build * 86_400_000L));
            zip.putNextEntry(e);
            zip.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
