package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.domain.ImageRegistry;
import dev.windlass.deployer.repository.ImageRegistryRepository;
import dev.windlass.events.validation.ImageReference;
import dev.windlass.events.validation.Rules;
import dev.windlass.events.validation.Violation;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The registries Windlass polls for new tags, and how to reach each: plain HTTP or HTTPS, and the account to sign in
 * with. Passwords are sealed at rest like secret env values and are write-only: nothing returns them. Admins keep the
 * list; the poller reads it.
 */
@ApplicationScoped
public class ImageRegistries {

    /** Longest user name and password (registry tokens such as GitHub's are well below). */
    public static final int MAX_USERNAME = 256;

    public static final int MAX_PASSWORD = 4096;

    private final ImageRegistryRepository registries;
    private final SecretCipher cipher;
    private final ContextRunner runner;

    public ImageRegistries(ImageRegistryRepository registries, SecretCipher cipher, ContextRunner runner) {
        this.registries = registries;
        this.cipher = cipher;
        this.runner = runner;
    }

    /** How to reach a registry: its host, plain HTTP or not, and an account when it has one. */
    public record Access(String host, boolean plainHttp, String username, String password) {

        /** A registry without a row: HTTPS, no account. */
        public static Access anonymous(String host) {
            return new Access(host, false, null, null);
        }

        /** Whether an account is known. */
        public boolean signsIn() {
            return username != null && password != null;
        }

        @Override
        public String toString() {
            return "Access[" + host + (plainHttp ? ", plain HTTP" : "") + (signsIn() ? ", as " + username : "") + "]";
        }
    }

    /** A registry as the API shows it: never its password, only whether one is set. */
    public record View(
            String host, String username, boolean passwordSet, boolean plainHttp, Instant updatedAt, String updatedBy) {

        static View of(ImageRegistry r) {
            return new View(r.host, r.username, r.passwordSealed != null, r.plainHttp, r.updatedAt, r.updatedBy);
        }
    }

    /** Every registry. */
    public Uni<List<View>> list() {
        return runner.onNewContext(this::listStored);
    }

    @WithSession
    Uni<List<View>> listStored() {
        return registries.byHost().map(list -> list.stream().map(View::of).toList());
    }

    /**
     * Sets how {@code host} is reached, replacing what was set; a password is required with a user name, and none
     * without one. {@code created} says whether the registry is new.
     */
    public Uni<Stored> put(Caller caller, String host, String username, String password, Boolean plainHttp) {
        String key = validate(host, username, password);
        return runner.onNewContext(() -> store(caller, key, username, password, plainHttp));
    }

    /** A registry stored, and whether it is new. */
    public record Stored(View registry, boolean created) {}

    @WithTransaction
    Uni<Stored> store(Caller caller, String host, String username, String password, Boolean plainHttp) {
        return registries.findById(host).flatMap(found -> {
            ImageRegistry r = found != null ? found : new ImageRegistry();
            r.host = host;
            r.username = username;
            r.passwordSealed = username == null ? null : cipher.seal(password);
            r.plainHttp = Boolean.TRUE.equals(plainHttp);
            r.updatedAt = Instant.now();
            r.updatedBy = caller.username() != null ? caller.username() : caller.subject();
            return registries.persist(r).map(stored -> new Stored(View.of(stored), found == null));
        });
    }

    /** Forgets a registry; 404 when it was not set. */
    public Uni<Void> delete(String host) {
        String key = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return runner.onNewContext(() -> remove(key));
    }

    @WithTransaction
    Uni<Void> remove(String host) {
        return registries.deleteById(host).map(deleted -> {
            if (!deleted) {
                throw new NotFoundException("No registry " + host + " is set");
            }
            return null;
        });
    }

    /** How to reach {@code host}, its password opened; anonymous HTTPS when nothing is set. */
    public Uni<Access> access(String host) {
        return runner.onNewContext(() -> find(host));
    }

    @WithSession
    Uni<Access> find(String host) {
        return registries
                .findById(host)
                .map(r -> r == null
                        ? Access.anonymous(host)
                        : new Access(
                                r.host,
                                r.plainHttp,
                                r.username,
                                r.passwordSealed == null ? null : cipher.openString(r.passwordSealed)));
    }

    private static String validate(String host, String username, String password) {
        List<Violation> violations = new ArrayList<>();
        if (!ImageReference.isRegistry(host)) {
            violations.add(new Violation(
                    "host",
                    Rules.REGISTRY,
                    "must be a registry host as images name it, with its port if any (ghcr.io)"));
        }
        if (username != null && (username.isBlank() || username.length() > MAX_USERNAME)) {
            violations.add(new Violation("username", Rules.MAX_LENGTH, "must be 1 to " + MAX_USERNAME + " characters"));
        }
        if (username != null && (password == null || password.isEmpty())) {
            violations.add(new Violation("password", Rules.REQUIRED, "is required with a username"));
        } else if (username == null && password != null) {
            violations.add(new Violation("username", Rules.REQUIRED, "is required with a password"));
        } else if (password != null && password.length() > MAX_PASSWORD) {
            violations.add(
                    new Violation("password", Rules.MAX_LENGTH, "must be at most " + MAX_PASSWORD + " characters"));
        }
        if (!violations.isEmpty()) {
            throw new ValidationFailedException(violations);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
