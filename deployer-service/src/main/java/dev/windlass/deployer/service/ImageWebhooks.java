package dev.windlass.deployer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.service.ImageUpdates.Push;
import dev.windlass.events.validation.ImageReference;
import dev.windlass.events.validation.Rules;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook formats in which registries say an image was pushed, each with the way it proves it knows the shared
 * secret, read into {@link Push}es. Pure: no I/O, so that each format is tested on its own.
 *
 * <ul>
 *   <li>{@code distribution}: the Distribution registry's notifications (the envelope of {@code events}; a push of a
 *       tagged manifest counts), authenticated by {@code Authorization: Bearer <secret>}, which the registry's
 *       {@code notifications.endpoints[].headers} sends;
 *   <li>{@code harbor}: Harbor's {@code PUSH_ARTIFACT} event, {@code Authorization: Bearer <secret>} (the webhook
 *       policy's auth header);
 *   <li>{@code github}: GitHub's {@code package} and {@code registry_package} events for container packages, signed
 *       with the secret ({@code X-Hub-Signature-256}, HMAC-SHA256 of the body);
 *   <li>{@code dockerhub}: Docker Hub's push payload, which Docker Hub can neither sign nor send a header with: the
 *       secret is the {@code token} query parameter;
 *   <li>{@code cloudevents}: a CloudEvent of type {@value #CLOUDEVENT_TYPE} in structured ({@code
 *       application/cloudevents+json}) or binary ({@code ce-type} header) mode, whose data is {@code {registry,
 *       repository, tag, digest}}; {@code Authorization: Bearer <secret>}.
 * </ul>
 */
public final class ImageWebhooks {

    /** The CloudEvents type of the plain form. */
    public static final String CLOUDEVENT_TYPE = "dev.windlass.image.pushed.v1";

    /** GitHub's registry, where a container package lives unless the payload says otherwise. */
    public static final String GITHUB_REGISTRY = "ghcr.io";

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    private static final String BEARER = "Bearer ";

    /** What a call brought: the body as sent, its headers (lower-case names) and the {@code token} parameter. */
    public record Call(byte[] body, Function<String, String> header, String token) {}

    /** One format: how its caller proves the secret, and how its body says what was pushed. */
    public enum Format {
        DISTRIBUTION,
        HARBOR,
        GITHUB,
        DOCKERHUB,
        CLOUDEVENTS;

        /** The format a path segment names ({@code distribution}, ...), if any. */
        public static Optional<Format> named(String name) {
            for (Format format : values()) {
                if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }
    }

    private final ObjectMapper json;

    public ImageWebhooks(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The pushes a call reports, once it proved it knows {@code secret}.
     *
     * @throws WebhookRefusedException when it did not
     * @throws ValidationFailedException when its body is not what its format sends, naming the field
     */
    public List<Push> read(Format format, Call call, String secret) {
        authenticate(format, call, secret);
        JsonNode body = parse(call.body());
        return switch (format) {
            case DISTRIBUTION -> distribution(body);
            case HARBOR -> harbor(body);
            case GITHUB -> github(body);
            case DOCKERHUB -> dockerHub(body);
            case CLOUDEVENTS -> cloudEvent(body, call);
        };
    }

    private static void authenticate(Format format, Call call, String secret) {
        byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
        switch (format) {
            case GITHUB -> {
                String signature = call.header().apply("x-hub-signature-256");
                if (signature == null || !signature.startsWith("sha256=")) {
                    throw new WebhookRefusedException("X-Hub-Signature-256 is missing");
                }
                byte[] ours =
                        HexFormat.of().formatHex(hmac(expected, call.body())).getBytes(StandardCharsets.UTF_8);
                byte[] theirs = signature.substring("sha256=".length()).getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(ours, theirs)) {
                    throw new WebhookRefusedException("X-Hub-Signature-256 does not match the body");
                }
            }
            case DOCKERHUB -> requireEqual(call.token(), expected, "the token parameter");
            default -> {
                String authorization = call.header().apply("authorization");
                requireEqual(
                        authorization != null && authorization.startsWith(BEARER)
                                ? authorization.substring(BEARER.length())
                                : null,
                        expected,
                        "Authorization: Bearer <secret>");
            }
        }
    }

    private static void requireEqual(String given, byte[] expected, String what) {
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
            throw new WebhookRefusedException(what + " is missing or wrong");
        }
    }

    private static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ValidationFailedException("body", Rules.MALFORMED, "must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ValidationFailedException("body", Rules.MALFORMED, "is not JSON");
        } catch (java.io.IOException e) {
            throw new ValidationFailedException("body", Rules.MALFORMED, "could not be read");
        }
    }

    /** Distribution: each event that pushed a tagged manifest; blob pushes and pulls say nothing of tags. */
    private static List<Push> distribution(JsonNode body) {
        JsonNode events = array(body, "events");
        List<Push> pushes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String at = "events[" + i + "]";
            JsonNode target = event.path("target");
            if (!"push".equals(event.path("action").asText()) || !target.hasNonNull("tag")) {
                continue;
            }
            pushes.add(push(
                    text(event.path("request"), "host", at + ".request.host"),
                    text(target, "repository", at + ".target.repository"),
                    text(target, "tag", at + ".target.tag"),
                    target.path("digest").asText(null),
                    at + ".target"));
        }
        return pushes;
    }

    /** Harbor: each resource of a PUSH_ARTIFACT event; the registry is the host its resource URL names. */
    private static List<Push> harbor(JsonNode body) {
        if (!"PUSH_ARTIFACT".equals(body.path("type").asText())) {
            return List.of();
        }
        JsonNode data = body.path("event_data");
        String repository = text(data.path("repository"), "repo_full_name", "event_data.repository.repo_full_name");
        JsonNode resources = array(data, "resources");
        List<Push> pushes = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonNode resource = resources.get(i);
            String at = "event_data.resources[" + i + "]";
            if (!resource.hasNonNull("tag")) {
                continue;
            }
            String url = text(resource, "resource_url", at + ".resource_url");
            int slash = url.indexOf('/');
            if (slash <= 0) {
                throw new ValidationFailedException(
                        at + ".resource_url", Rules.IMAGE, "must be <registry>/<repository>:<tag>");
            }
            pushes.add(push(
                    url.substring(0, slash),
                    repository,
                    text(resource, "tag", at + ".tag"),
                    resource.path("digest").asText(null),
                    at));
        }
        return pushes;
    }

    /** GitHub: a published container package version with a tag. */
    private static List<Push> github(JsonNode body) {
        String key = body.has("registry_package") ? "registry_package" : "package";
        JsonNode pkg = body.path(key);
        String type = pkg.path("package_type").asText("").toLowerCase(Locale.ROOT);
        if (!"published".equals(body.path("action").asText()) || !(type.equals("container") || type.equals("docker"))) {
            return List.of();
        }
        JsonNode tag = pkg.path("package_version").path("container_metadata").path("tag");
        if (!tag.hasNonNull("name") || tag.path("name").asText().isEmpty()) {
            // an untagged version (a platform's manifest of a multi-platform image): nothing to take
            return List.of();
        }
        String owner = text(pkg.path("owner"), "login", key + ".owner.login");
        String name = text(pkg, "name", key + ".name");
        String registry = pkg.path("registry").hasNonNull("url")
                ? hostOf(pkg.path("registry").path("url").asText(), key + ".registry.url")
                : GITHUB_REGISTRY;
        return List.of(push(
                registry,
                (owner + "/" + name).toLowerCase(Locale.ROOT),
                text(tag, "name", key + ".package_version.container_metadata.tag.name"),
                tag.path("digest").asText(null),
                key + ".package_version.container_metadata.tag"));
    }

    /** Docker Hub: the repository's name and the pushed tag; Docker Hub says no digest. */
    private static List<Push> dockerHub(JsonNode body) {
        return List.of(push(
                ImageReference.DOCKER_HUB,
                text(body.path("repository"), "repo_name", "repository.repo_name"),
                text(body.path("push_data"), "tag", "push_data.tag"),
                null,
                "push_data"));
    }

    /** CloudEvents: structured (the envelope is the body) or binary (the envelope is in ce- headers). */
    private static List<Push> cloudEvent(JsonNode body, Call call) {
        String binaryType = call.header().apply("ce-type");
        boolean binary = binaryType != null;
        String type = binary ? binaryType : body.path("type").asText(null);
        if (!CLOUDEVENT_TYPE.equals(type)) {
            throw new ValidationFailedException(
                    binary ? "ce-type" : "type", Rules.EVENT_TYPE, "must be " + CLOUDEVENT_TYPE);
        }
        JsonNode data = binary ? body : body.path("data");
        String at = binary ? "" : "data.";
        return List.of(push(
                text(data, "registry", at + "registry"),
                text(data, "repository", at + "repository"),
                text(data, "tag", at + "tag"),
                data.path("digest").asText(null),
                binary ? "body" : "data"));
    }

    private static Push push(String registry, String repository, String tag, String digest, String at) {
        String image = registry + "/" + repository + ":" + tag;
        if (!TAG.matcher(tag).matches() || ImageReference.parse(image).isEmpty()) {
            throw new ValidationFailedException(
                    at,
                    Rules.IMAGE,
                    "does not name an image: [registry/]repository:tag, as an image reference has them");
        }
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            throw new ValidationFailedException(
                    at + ".digest", Rules.IMAGE, "must be sha256:<64 hex> or sha512:<128 hex>");
        }
        return new Push(ImageReference.registryHost(registry), repository, tag, digest);
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ValidationFailedException(path, Rules.REQUIRED, "is required");
        }
        return value.asText();
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isArray()) {
            throw new ValidationFailedException(field, Rules.REQUIRED, "is required: an array");
        }
        return value;
    }

    private static String hostOf(String url, String path) {
        try {
            URI uri = URI.create(url.contains("://") ? url : "https://" + url);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            throw new ValidationFailedException(path, Rules.URI, "must be a registry URL");
        }
    }
}
