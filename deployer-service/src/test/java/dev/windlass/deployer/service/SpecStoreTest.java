package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.SECRET_NAME;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_VALUE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.domain.Revision;
import dev.windlass.events.spec.AppSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecStoreTest {

    private final SpecStore store = new SpecStore(new SecretCipher(
            "k1", Map.of("k1", Base64.getEncoder().encodeToString("k".repeat(32).getBytes()))));

    @Test
    void keepsSecretValuesOnlySealed() {
        Revision revision = new Revision();
        store.store(spec("web"), revision);
        assertThat(revision.spec).contains(SECRET_NAME).doesNotContain(SECRET_VALUE);
        assertThat(revision.sealedSecretEnv).startsWith("v1:k1:").doesNotContain(SECRET_VALUE);
    }

    @Test
    void restoresTheFullSpecForApplying() {
        Revision revision = new Revision();
        AppSpec original = spec("web");
        store.store(original, revision);
        assertThat(store.restore(revision)).isEqualTo(original);
    }

    @Test
    void masksSecretValuesForPeople() {
        Revision revision = new Revision();
        store.store(spec("web"), revision);
        assertThat(store.masked(revision).secretEnv()).containsExactly(Map.entry(SECRET_NAME, AppSpec.MASK));
        assertThat(store.masked(revision).env()).containsEntry("LOG_LEVEL", "info");
    }

    @Test
    void storesASpecWithoutSecretsAsIs() {
        Revision revision = new Revision();
        AppSpec plain = AppSpec.of("web", "nginx:1.27");
        store.store(plain, revision);
        assertThat(revision.sealedSecretEnv).isNull();
        assertThat(store.restore(revision)).isEqualTo(plain);
    }
}
