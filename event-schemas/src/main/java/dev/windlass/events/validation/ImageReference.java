package dev.windlass.events.validation;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference in the Docker distribution grammar: optional registry {@code host[:port]},
 * a lower-case repository path, optional {@code :tag}, optional {@code @sha256:<64 hex>} digest.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    private static final String DOMAIN_COMPONENT = "([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN =
            "(" + DOMAIN_COMPONENT + "(\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(:[0-9]{1,5})?";
    private static final String PATH_COMPONENT = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
    private static final String REPOSITORY = PATH_COMPONENT + "(/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})";

    /** The whole grammar; appears verbatim (anchored) in the JSON Schema. */
    public static final String PATTERN = "(" + DOMAIN + "/)?" + REPOSITORY + "(:" + TAG + ")?(@" + DIGEST + ")?";

    /** Longest accepted reference. */
    public static final int MAX_LENGTH = 512;

    /** Longest registry plus repository ("name"), as registries enforce. */
    public static final int MAX_NAME_LENGTH = 255;

    private static final Pattern GRAMMAR = Pattern.compile("(?:(?<domain>" + DOMAIN + ")/)?(?<repo>" + REPOSITORY
            + ")(?::(?<tag>" + TAG + "))?(?:@(?<digest>" + DIGEST + "))?");

    private static final Pattern REGISTRY = Pattern.compile(DOMAIN);

    /** Whether the string is a registry as images name it: a host, with a port if it needs one. */
    public static boolean isRegistry(String value) {
        return value != null
                && value.length() <= MAX_NAME_LENGTH
                && REGISTRY.matcher(value).matches();
    }

    /** Whether the string is a valid reference. */
    public static boolean isValid(String value) {
        return parse(value).isPresent();
    }

    /** The parts of a reference, or empty when it is not one. */
    public static Optional<ImageReference> parse(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = GRAMMAR.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String domain = matcher.group("domain");
        String repository = matcher.group("repo");
        int nameLength = repository.length() + (domain == null ? 0 : domain.length() + 1);
        if (nameLength > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        if (domain != null && !looksLikeRegistry(domain)) {
            repository = domain + "/" + repository;
            domain = null;
        }
        return Optional.of(new ImageReference(domain, repository, matcher.group("tag"), matcher.group("digest")));
    }

    /** Docker Hub's registry, where an image that names none comes from. */
    public static final String DOCKER_HUB = "docker.io";

    /** The registry this image comes from, as a host in lower case; Docker Hub's other names are {@value DOCKER_HUB}. */
    public String registryHost() {
        return registryHost(registry);
    }

    /** A registry's host in lower case, Docker Hub under one name. */
    public static String registryHost(String registry) {
        if (registry == null) {
            return DOCKER_HUB;
        }
        String host = registry.toLowerCase(java.util.Locale.ROOT);
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? DOCKER_HUB : host;
    }

    /** The repository as its registry names it: Docker Hub's official images under {@code library/}. */
    public String fullRepository() {
        return registryHost().equals(DOCKER_HUB) && !repository.contains("/") ? "library/" + repository : repository;
    }

    /** Whether this image is from {@code repository} on {@code registry} (Docker Hub's short names understood). */
    public boolean isFrom(String host, String name) {
        if (!registryHost().equals(registryHost(host))) {
            return false;
        }
        String theirs = registryHost().equals(DOCKER_HUB) && !name.contains("/") ? "library/" + name : name;
        return fullRepository().equals(theirs);
    }

    /** This image with another tag and digest (either may be null), as a reference. */
    public String withVersion(String otherTag, String otherDigest) {
        return (registry == null ? "" : registry + "/")
                + repository
                + (otherTag == null ? "" : ":" + otherTag)
                + (otherDigest == null ? "" : "@" + otherDigest);
    }

    /** As Docker decides: a first component is a registry if it has a dot, a port, upper case, or is localhost. */
    private static boolean looksLikeRegistry(String component) {
        return component.contains(".")
                || component.contains(":")
                || component.equals("localhost")
                || !component.equals(component.toLowerCase(java.util.Locale.ROOT));
    }
}
