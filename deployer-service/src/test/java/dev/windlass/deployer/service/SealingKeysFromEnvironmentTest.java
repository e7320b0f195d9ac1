package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.config.DeployerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sealing keys reach the deployer as the environment variables the Helm chart's Secret and
 * docker-compose.yml set: {@code WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID} and one
 * {@code WINDLASS_DEPLOYER_SECRETS_KEYS_<ID>} per key, the id in upper case.
 */
class SealingKeysFromEnvironmentTest {

    private static final String KEY_1 = key('1');
    private static final String KEY_2 = key('2');

    @Test
    void upperCaseVariableNamesBecomeLowerCaseKeyIds() {
        DeployerConfig config = config(Map.of(
                "WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID", "k2026",
                "WINDLASS_DEPLOYER_SECRETS_KEYS_K2025", KEY_1,
                "WINDLASS_DEPLOYER_SECRETS_KEYS_K2026", KEY_2));

        assertThat(config.secrets().activeKeyId()).isEqualTo("k2026");
        assertThat(config.secrets().keys()).containsOnly(Map.entry("k2025", KEY_1), Map.entry("k2026", KEY_2));
    }

    @Test
    void aCipherFromTheEnvironmentSealsWithTheActiveKeyAndOpensOlderValues() {
        String old = new SecretCipher("k1", Map.of("k1", KEY_1)).seal("value");
        SecretCipher cipher = new SecretCipher(config(Map.of(
                "WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID", "k2",
                "WINDLASS_DEPLOYER_SECRETS_KEYS_K1", KEY_1,
                "WINDLASS_DEPLOYER_SECRETS_KEYS_K2", KEY_2)));

        assertThat(cipher.seal("value")).startsWith("v1:k2:");
        assertThat(cipher.openString(old)).isEqualTo("value");
    }

    private static DeployerConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(environment, 300))
                .withMapping(DeployerConfig.class)
                .build()
                .getConfigMapping(DeployerConfig.class);
    }

    private static String key(char fill) {
        return Base64.getEncoder()
                .encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }
}
