package dev.windlass.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code --token-auth-file} with one admin token, as k3s hands out besides certificates: csv
 * {@code token,user,uid,"group1,group2"}, the token 16 random bytes in hex.
 */
final class StaticTokenFile {

    /** The admin token's user (k3s's name for it). */
    static final String ADMIN_USER = "admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final String adminToken;

    private StaticTokenFile(Path file, String adminToken) {
        this.file = file;
        this.adminToken = adminToken;
    }

    /** Writes a new file with one token for {@value #ADMIN_USER} in {@code system:masters}. */
    static StaticTokenFile write(Path file) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        try {
            Files.writeString(
                    file,
                    token + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StaticTokenFile(file, token);
    }

    /** The admin's bearer token. */
    String adminToken() {
        return adminToken;
    }

    /** The flag that makes {@code kube-apiserver} accept the file's tokens. */
    List<String> apiServerFlags() {
        return List.of("--token-auth-file", file.toString());
    }
}
