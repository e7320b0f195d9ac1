package dev.windlass.deployer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code scripts/SealSecret.java} run as a CI pipeline runs it: the JWK set in a file, the value on stdin. */
public final class SealSecretScript {

    private SealSecretScript() {}

    /** {@code value} sealed by the script to the first key of {@code jwks}; fails the test if the script fails. */
    public static String seal(String jwks, String value) throws IOException, InterruptedException {
        Path file = Files.createTempFile("sealing-keys", ".json");
        try {
            Files.writeString(file, jwks);
            Process script = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            Path.of("..", "scripts", "SealSecret.java").toString(),
                            file.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (var stdin = script.getOutputStream()) {
                stdin.write(value.getBytes(StandardCharsets.UTF_8));
            }
            String sealed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(script.waitFor())
                    .as("scripts/SealSecret.java's exit code")
                    .isZero();
            return sealed;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
