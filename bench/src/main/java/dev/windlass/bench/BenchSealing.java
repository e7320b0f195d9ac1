package dev.windlass.bench;

import dev.windlass.events.spec.AppSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/** Seals secret values to the deployer's published key, as a producer of deploy requests must. */
final class BenchSealing {

    private final PublicJsonWebKey key;

    BenchSealing(BenchSuite bench) {
        try {
            HttpResponse<String> jwks = bench.http()
                    .send(
                            HttpRequest.newBuilder(URI.create(bench.suite().deployerUrl() + "/api/sealing-keys"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            key = (PublicJsonWebKey)
                    new JsonWebKeySet(jwks.body()).getJsonWebKeys().get(0);
        } catch (IOException | JoseException e) {
            throw new IllegalStateException("cannot read the deployer's sealing key", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    AppSpec sealed(AppSpec spec) {
        if (spec.secretEnv().isEmpty()) {
            return spec;
        }
        Map<String, String> sealed = new LinkedHashMap<>();
        spec.secretEnv().forEach((name, value) -> sealed.put(name, seal(value)));
        return spec.withSecretEnv(sealed);
    }

    /** Sealed with the algorithm the key names, as a producer does. */
    private String seal(String value) {
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmHeaderValue(key.getAlgorithm());
            jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            jwe.setKeyIdHeaderValue(key.getKeyId());
            jwe.setKey(key.getPublicKey());
            jwe.setPlaintext(value);
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot seal a value", e);
        }
    }
}
