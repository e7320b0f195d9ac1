package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.domain.Revision;
import dev.windlass.events.EventJson;
import dev.windlass.events.spec.AppSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a spec is kept in a revision: the JSON without secret env values, and those values sealed apart; and how
 * it is shown: secret values masked.
 */
@ApplicationScoped
public class SpecStore {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final SecretCipher cipher;

    public SpecStore(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Puts {@code spec} into the revision: public JSON (secret names with empty values) and the sealed values. */
    public void store(AppSpec spec, Revision revision) {
        revision.spec = write(spec.withSecretEnv(blank(spec.secretEnv())));
        revision.sealedSecretEnv = spec.secretEnv().isEmpty() ? null : cipher.seal(write(spec.secretEnv()));
    }

    /**
     * Puts {@code from}'s spec, running {@code image}, into {@code to}; its secret values stay sealed as they were
     * (never opened here).
     */
    public void withImage(Revision from, String image, Revision to) {
        to.spec = write(read(from.spec, AppSpec.class).withImage(image));
        to.sealedSecretEnv = from.sealedSecretEnv;
    }

    /** The full spec of a revision, secret values included, for applying it. */
    public AppSpec restore(Revision revision) {
        AppSpec spec = read(revision.spec, AppSpec.class);
        if (revision.sealedSecretEnv == null) {
            return spec;
        }
        Map<String, String> secrets = read(cipher.openString(revision.sealedSecretEnv), STRING_MAP);
        return spec.withSecretEnv(secrets);
    }

    /** The revision's spec for people: every secret value replaced by {@link AppSpec#MASK}. */
    public AppSpec masked(Revision revision) {
        return masked(read(revision.spec, AppSpec.class));
    }

    /** The spec with every secret value replaced by {@link AppSpec#MASK}. */
    public static AppSpec masked(AppSpec spec) {
        Map<String, String> masked = new LinkedHashMap<>();
        spec.secretEnv().keySet().forEach(name -> masked.put(name, AppSpec.MASK));
        return spec.withSecretEnv(masked);
    }

    private static Map<String, String> blank(Map<String, String> secrets) {
        Map<String, String> names = new LinkedHashMap<>();
        secrets.keySet().forEach(name -> names.put(name, ""));
        return names;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
