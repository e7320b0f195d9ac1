package dev.windlass.deployer.trust;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.domain.SealingKey;
import dev.windlass.deployer.repository.SealingKeyRepository;
import dev.windlass.deployer.service.SecretCipher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The deployer's sealing key pairs: secret env values travel over Kafka as JWE sealed to the active public key
 * (ECDH-ES+A256KW for an X25519 or P-256 key, RSA-OAEP-256 for an RSA key, A256GCM; {@link Jwe}), published as a
 * JWK set; the private keys open them on intake. New keys are of {@code windlass.deployer.sealing.key-type}. The keys
 * live in the database (private keys sealed at rest with the deployer's secret keys), so every replica uses the same
 * ones: the first replica to start makes a key, an admin rotates it, a rotated-out key keeps opening values for
 * {@code windlass.deployer.sealing.retired-key-retention} and is deleted after that.
 */
@ApplicationScoped
public class SealingKeys {

    private static final Logger LOG = Logger.getLogger(SealingKeys.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final SealingKeyRepository repository;
    private final SecretCipher cipher;
    private final ContextRunner runner;
    private final Vertx vertx;
    private final DeployerConfig.Sealing config;
    private volatile Snapshot snapshot;
    private long timer = -1;

    /** The keys as last read: private keys by id, the active key's id and public key, the published JWK set. */
    record Snapshot(Map<String, PrivateKey> privateKeys, String activeKeyId, PublicKey activeKey, String jwks) {}

    public SealingKeys(
            SealingKeyRepository repository,
            SecretCipher cipher,
            ContextRunner runner,
            Vertx vertx,
            DeployerConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.runner = runner;
        this.vertx = vertx;
        this.config = config.sealing();
    }

    void start(@Observes StartupEvent start) {
        runner.onNewContext(this::reload)
                .subscribe()
                .with(ignored -> {}, failure -> LOG.warnf("sealing keys not read yet: %s", failure.getMessage()));
        timer = vertx.setPeriodic(
                config.refreshInterval().toMillis(),
                ignored -> runner.onNewContext(this::reload)
                        .subscribe()
                        .with(
                                keys -> {},
                                failure -> LOG.debugf("sealing keys not read again: %s", failure.getMessage())));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The keys, read (and the first one made) when this replica has not read them yet. */
    public Uni<Snapshot> current() {
        Snapshot s = snapshot;
        return s != null ? Uni.createFrom().item(s) : reload();
    }

    /** The public JWK set of the active key, for the producers that seal values. */
    public Uni<String> jwks() {
        return current().map(Snapshot::jwks);
    }

    /** Seals one value to the active key: a JWE compact serialization. */
    public Uni<String> seal(String plaintext) {
        return current().map(s -> Jwe.seal(plaintext, s.activeKeyId(), s.activeKey()));
    }

    /** Seals every value of a map to the active key. */
    public Uni<Map<String, String>> sealAll(Map<String, String> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(values);
        }
        return current().map(s -> {
            Map<String, String> sealed = new LinkedHashMap<>();
            values.forEach((name, value) -> sealed.put(name, Jwe.seal(value, s.activeKeyId(), s.activeKey())));
            return sealed;
        });
    }

    /**
     * Opens every value of a map; fails with {@link SealedValueException} naming the first value that is not a JWE
     * sealed to a key of ours (or that does not open). The keys are read again once when a value names a key this
     * replica does not know yet.
     */
    public Uni<Map<String, String>> openAll(Map<String, String> values) {
        if (values.isEmpty()) {
            return Uni.createFrom().item(values);
        }
        return current()
                .flatMap(s -> {
                    boolean unknownKey = values.values().stream()
                            .map(Jwe::keyId)
                            .anyMatch(kid -> kid != null && !s.privateKeys().containsKey(kid));
                    return unknownKey ? reload() : Uni.createFrom().item(s);
                })
                .map(s -> {
                    Map<String, String> opened = new LinkedHashMap<>();
                    values.forEach((name, value) -> opened.put(name, Jwe.open(name, value, s.privateKeys())));
                    return opened;
                });
    }

    /** Makes a new active key; the one it replaces still opens values for the retention. The new key's id. */
    public Uni<String> rotate() {
        return generated()
                .flatMap(key -> Panache.withTransaction(() -> repository
                        .retireActive(Instant.now())
                        .chain(() -> repository.insertIfNoneActive(key))
                        .replaceWith(key.keyId)))
                .call(this::reload);
    }

    private Uni<Snapshot> reload() {
        return Panache.withTransaction(() -> repository
                        .deleteRetiredBefore(Instant.now().minus(config.retiredKeyRetention()))
                        .chain(repository::newestFirst))
                .flatMap(keys -> keys.stream().anyMatch(k -> k.active)
                        ? Uni.createFrom().item(keys)
                        : generated()
                                .flatMap(key -> Panache.withTransaction(
                                        () -> repository.insertIfNoneActive(key).chain(repository::newestFirst))))
                .map(keys -> snapshotOf(keys, cipher))
                .invoke(s -> snapshot = s);
    }

    /** The keys as read: every kept key opens, the active one seals and is published. */
    static Snapshot snapshotOf(List<SealingKey> keys, SecretCipher cipher) {
        Map<String, PrivateKey> privateKeys = new LinkedHashMap<>();
        SealingKey active = null;
        PublicKey activeKey = null;
        for (SealingKey key : keys) {
            PublicKey publicKey = publicKey(key);
            privateKeys.put(key.keyId, privateKey(publicKey.getAlgorithm(), cipher.open(key.privateKey)));
            if (key.active) {
                active = key;
                activeKey = publicKey;
            }
        }
        if (active == null) {
            throw new IllegalStateException("no active sealing key");
        }
        String jwks = "{\"keys\":[" + active.publicJwk + "]}";
        return new Snapshot(Map.copyOf(privateKeys), active.keyId, activeKey, jwks);
    }

    private static PublicKey publicKey(SealingKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key.publicJwk).getPublicKey();
        } catch (JoseException e) {
            throw new IllegalStateException("sealing key " + key.keyId + " has an unreadable public key", e);
        }
    }

    /**
     * A new key pair of the configured type, made on a worker thread (an RSA key takes tens to hundreds of
     * milliseconds, never on the event loop); the answer comes back on the caller's context, where its transaction
     * runs.
     */
    private Uni<SealingKey> generated() {
        return Uni.createFrom()
                .completionStage(() -> vertx.executeBlocking(
                                () -> newKey(config.keyType(), cipher, Instant.now()), false)
                        .toCompletionStage());
    }

    /** A new active key pair of {@code type}, its private key sealed with {@code cipher}. */
    static SealingKey newKey(SealingKeyType type, SecretCipher cipher, Instant now) {
        try {
            PublicJsonWebKey jwk = type.generate();
            String keyId = "seal-" + DAY.format(now) + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            jwk.setKeyId(keyId);
            jwk.setUse("enc");
            jwk.setAlgorithm(Jwe.algorithm(jwk.getPublicKey()));
            SealingKey key = new SealingKey();
            key.keyId = keyId;
            key.privateKey = cipher.seal(jwk.getPrivateKey().getEncoded());
            key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            key.active = true;
            key.createdAt = now;
            LOG.infof(
                    "made sealing key %s (%s, %s + %s)",
                    keyId, type, jwk.getAlgorithm(), ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot make a " + type + " key pair", e);
        }
    }

    /** The private key of a pair whose public key's algorithm is {@code algorithm} (RSA, EC or XDH). */
    private static PrivateKey privateKey(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("a sealing key cannot be read", e);
        }
    }
}
