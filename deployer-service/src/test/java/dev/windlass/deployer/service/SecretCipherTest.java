package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY_1 = key('1');
    private static final String KEY_2 = key('2');

    @Test
    void sealsSoThatOnlyTheKeyOpens() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        String sealed = cipher.seal("hunter2");
        assertThat(sealed).startsWith("v1:k1:").doesNotContain("hunter2");
        assertThat(cipher.seal("hunter2")).isNotEqualTo(sealed);
        assertThat(cipher.openString(sealed)).isEqualTo("hunter2");
    }

    @Test
    void opensValuesSealedWithAnOlderKeyAfterRotation() {
        String old = new SecretCipher("k1", Map.of("k1", KEY_1)).seal("value");
        SecretCipher rotated = new SecretCipher("k2", Map.of("k1", KEY_1, "k2", KEY_2));
        assertThat(rotated.openString(old)).isEqualTo("value");
        assertThat(rotated.seal("value")).startsWith("v1:k2:");
    }

    @Test
    void refusesTamperedValuesAndMissingKeys() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        String sealed = cipher.seal("value");
        String relabelled = sealed.replace("v1:k1:", "v1:k2:");
        SecretCipher both = new SecretCipher("k1", Map.of("k1", KEY_1, "k2", KEY_2));
        assertThatThrownBy(() -> both.open(relabelled)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretCipher("k3", Map.of("k1", KEY_1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretCipher("k1", Map.of("k1", "c2hvcnQ=")))
                .hasMessageContaining("32 bytes");
    }

    private static String key(char fill) {
        return Base64.getEncoder()
                .encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }
}
