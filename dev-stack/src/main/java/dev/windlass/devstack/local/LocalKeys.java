package dev.windlass.devstack.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/** The local suite's encryption keys: made once per state directory, kept private to the owner. */
record LocalKeys(String registryKey, String deployerKey) {

    static LocalKeys loadOrCreate(Path file) throws IOException {
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                props.load(in);
            }
        } else {
            props.setProperty("registry", newKey());
            props.setProperty("deployer", newKey());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file)) {
                props.store(out, "AES-256 keys of the local suite; delete .windlass/ to start over");
            }
        }
        return new LocalKeys(props.getProperty("registry"), props.getProperty("deployer"));
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public String toString() {
        return "LocalKeys[****]";
    }
}
