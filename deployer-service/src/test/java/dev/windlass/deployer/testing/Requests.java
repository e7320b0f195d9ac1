package dev.windlass.deployer.testing;

import static io.restassured.RestAssured.given;

import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Deploy requests as a CI pipeline writes them onto the topic: secret values sealed to the deployer's published key,
 * an access token of the identity provider in the {@code authorization} header.
 */
public final class Requests {

    private Requests() {}

    /** The spec with every secret value not sealed yet sealed to the key {@code GET /api/sealing-keys} publishes. */
    public static AppSpec sealed(AppSpec spec) {
        if (spec == null || spec.secretEnv().isEmpty()) {
            return spec;
        }
        try {
            String jwks = given().get("/api/sealing-keys")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            PublicJsonWebKey key =
                    (PublicJsonWebKey) new JsonWebKeySet(jwks).getJsonWebKeys().get(0);
            Map<String, String> sealed = new LinkedHashMap<>();
            for (var entry : spec.secretEnv().entrySet()) {
                if (RequestTrust.looksSealed(entry.getValue())) {
                    sealed.put(entry.getKey(), entry.getValue());
                    continue;
                }
                JsonWebEncryption jwe = new JsonWebEncryption();
                // the algorithm the key names (ECDH-ES+A256KW for the deployer's X25519 keys)
                jwe.setAlgorithmHeaderValue(key.getAlgorithm());
                jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
                jwe.setKeyIdHeaderValue(key.getKeyId());
                jwe.setKey(key.getPublicKey());
                jwe.setPlaintext(entry.getValue());
                sealed.put(entry.getKey(), jwe.getCompactSerialization());
            }
            return spec.withSecretEnv(sealed);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its spec's secret values sealed. */
    public static EventEnvelope<DeploymentRequested> sealed(EventEnvelope<DeploymentRequested> event) {
        DeploymentRequested r = event.data();
        if (r.spec() == null || r.spec().secretEnv().isEmpty()) {
            return event;
        }
        DeploymentRequested sealed = new DeploymentRequested(
                r.deploymentId(),
                r.action(),
                r.orchestrator(),
                r.namespace(),
                r.app(),
                sealed(r.spec()),
                r.targetRevision(),
                r.image(),
                r.requestedBy(),
                r.requestedAt());
        return EventEnvelope.of(EventType.DEPLOYMENT_REQUESTED, event.id(), event.source(), sealed);
    }

    /** The authorization header value for a token. */
    public static byte[] bearer(String token) {
        return ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** The headers of an event plus the authorization header of {@code token}. */
    public static Map<String, byte[]> signed(Map<String, byte[]> headers, String token) {
        Map<String, byte[]> signed = new LinkedHashMap<>(headers);
        signed.put(RequestTrust.AUTHORIZATION_HEADER, bearer(token));
        return signed;
    }

    /** A fresh access token of the dev deployer, who may deploy on the stand-in's {@code local}. */
    public static String deployerToken() {
        return DevStack.oidc().accessToken(DevUser.DEPLOYER);
    }

    /** Produces a request sealed and signed by {@code token}. */
    public static void produce(EventEnvelope<DeploymentRequested> event, String token) {
        EventEnvelope<DeploymentRequested> sealed = sealed(event);
        TestKafka.produce(
                sealed.topic(), TestKafka.utf8(sealed.key()), sealed.payload(), signed(sealed.headers(), token));
    }

    /** Produces requests as {@link #produce} does, in one go ({@link TestKafka#produceTogether}). */
    public static void produceTogether(java.util.List<EventEnvelope<DeploymentRequested>> events) {
        TestKafka.produceTogether(events.stream()
                .map(Requests::sealed)
                .map(signedEvent -> {
                    var record = new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(
                            signedEvent.topic(), TestKafka.utf8(signedEvent.key()), signedEvent.payload());
                    signed(signedEvent.headers(), deployerToken())
                            .forEach((name, bytes) -> record.headers().add(name, bytes));
                    return record;
                })
                .toList());
    }
}
