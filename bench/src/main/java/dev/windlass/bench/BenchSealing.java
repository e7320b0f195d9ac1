package dev.windlass.bench;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.windlass.events.spec.AppSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seals secret values to the deployer's published key, as a producer of deploy requests must. */
final class BenchSealing {

    private final RSAKey key;

    BenchSealing(BenchSuite bench) {
        try {
            HttpResponse<String> jwks = bench.http()
                    .send(
                            HttpRequest.newBuilder(URI.create(bench.suite().deployerUrl() + "/api/sealing-keys"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            key = JWKSet.parse(jwks.body()).getKeys().get(0).toRSAKey();
        } catch (IOException | ParseException e) {
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

    private String seal(String value) {
        try {
            JWEObject jwe = new JWEObject(
                    new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                            .keyID(key.getKeyID())
                            .build(),
                    new Payload(value));
            jwe.encrypt(new RSAEncrypter(key));
            return jwe.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal a value", e);
        }
    }
}
