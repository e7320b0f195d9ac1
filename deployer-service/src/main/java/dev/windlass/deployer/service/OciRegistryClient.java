package dev.windlass.deployer.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.service.ImageRegistries.Access;
import dev.windlass.events.validation.ImageReference;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks registries, over the registry HTTP API v2 (the OCI distribution spec), for a repository's tags and a tag's
 * digest, signing in as registries ask:
 *
 * <ul>
 *   <li>a {@code 401} with {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} is answered by fetching a token
 *       from the realm (with the registry's account as basic auth when one is set, anonymously otherwise) and asking
 *       again with it; tokens are kept per registry and scope until shortly before they expire;
 *   <li>a {@code 401} with {@code WWW-Authenticate: Basic} is answered with the account, if one is set;
 *   <li>a {@code 429} or {@code 503} stops every request to that registry until its {@code Retry-After} (a minute
 *       when it gives none, an hour at most);
 *   <li>tag lists are read page by page, following {@code Link: <…>; rel="next"} on the same registry only.
 * </ul>
 *
 * <p>A realm must be HTTPS unless the registry is set to plain HTTP, so that an account never crosses the network
 * in clear. Failures are {@link RegistryPollException}s whose messages name the registry and the status, never a
 * credential.
 */
@ApplicationScoped
public class OciRegistryClient {

    /** Most pages read of one repository's tags. */
    static final int MAX_PAGES = 50;

    /** Waited out after a 429 or 503 without {@code Retry-After}, and the most any is waited out. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);

    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /** What a manifest HEAD accepts: image indexes and manifests, OCI and Docker, so the digest is the tag's own. */
    static final String MANIFEST_TYPES = String.join(
            ", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    /** Docker Hub's API host: images name {@code docker.io}, its API answers elsewhere. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final int pageSize;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    private final Map<String, Boolean> basicHosts = new ConcurrentHashMap<>();

    @Inject
    public OciRegistryClient(ObjectMapper json, DeployerConfig config) {
        this(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                json,
                Clock.systemUTC(),
                config.imageUpdates().pollPageSize());
    }

    OciRegistryClient(HttpClient http, ObjectMapper json, Clock clock, int pageSize) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    private record Token(String value, Instant expires) {}

    /** Every tag of {@code repository} (as its registry names it, {@code library/nginx}). */
    public Uni<List<String>> tags(Access access, String repository) {
        String first = "/v2/" + repository + "/tags/list?n=" + pageSize;
        return page(access, repository, first, new ArrayList<>(), 1);
    }

    private Uni<List<String>> page(Access access, String repository, String path, List<String> tags, int page) {
        return send(access, repository, "GET", path, "application/json")
                .map(response -> {
                    try {
                        JsonNode body = json.readTree(response.body());
                        JsonNode list = body.path("tags");
                        if (list.isArray()) {
                            list.forEach(tag -> tags.add(tag.asText()));
                        }
                    } catch (IOException e) {
                        throw new RegistryPollException(access.host() + " answered tags that are not JSON");
                    }
                    return next(response);
                })
                .flatMap(next -> {
                    if (next.isEmpty() || page >= MAX_PAGES) {
                        return Uni.createFrom().item(List.copyOf(tags));
                    }
                    return page(access, repository, next.get(), tags, page + 1);
                });
    }

    /** The next page's path and query, from a {@code Link} header on the same registry; empty on the last page. */
    private static Optional<String> next(HttpResponse<String> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                URI uri = response.uri().resolve(m.group(1));
                if (!uri.getHost().equalsIgnoreCase(response.uri().getHost())
                        || uri.getPort() != response.uri().getPort()
                        || !uri.getRawPath().startsWith("/v2/")) {
                    return Optional.empty();
                }
                return Optional.of(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
        }
        return Optional.empty();
    }

    /** The digest {@code tag} of {@code repository} has now ({@code Docker-Content-Digest}); empty without one. */
    public Uni<Optional<String>> digest(Access access, String repository, String tag) {
        return send(access, repository, "HEAD", "/v2/" + repository + "/manifests/" + tag, MANIFEST_TYPES)
                .map(response -> response.headers().firstValue("Docker-Content-Digest"));
    }

    private Uni<HttpResponse<String>> send(
            Access access, String repository, String method, String path, String accept) {
        Instant blocked = blockedUntil.get(access.host());
        if (blocked != null && blocked.isAfter(clock.instant())) {
            return Uni.createFrom()
                    .failure(new RegistryPollException(access.host() + " asked to wait until " + blocked));
        }
        String scope = "repository:" + repository + ":pull";
        return call(access, method, path, accept, authorization(access, scope))
                .flatMap(response -> {
                    if (response.statusCode() != 401) {
                        return Uni.createFrom().item(response);
                    }
                    return signIn(access, scope, response)
                            .flatMap(authorization -> call(access, method, path, accept, authorization));
                })
                .map(response -> checked(access, response));
    }

    /** What a request carries from an earlier sign-in: a token for the scope, or the account where basic auth serves. */
    private String authorization(Access access, String scope) {
        Token token = tokens.get(access.host() + " " + scope);
        if (token != null && token.expires().isAfter(clock.instant())) {
            return "Bearer " + token.value();
        }
        return basicHosts.containsKey(access.host()) && access.signsIn() ? basic(access) : null;
    }

    /** Answers a 401's challenge: a token from the realm, or basic auth; fails when neither can be had. */
    private Uni<String> signIn(Access access, String scope, HttpResponse<String> refused) {
        String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
        String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        if (scheme.equals("basic")) {
            if (!access.signsIn()) {
                return Uni.createFrom()
                        .failure(new RegistryPollException(
                                access.host() + " answered 401: it wants an account (PUT /api/image-registries/"
                                        + access.host() + ")"));
            }
            basicHosts.put(access.host(), true);
            return Uni.createFrom().item(basic(access));
        }
        if (!scheme.equals("bearer")) {
            return Uni.createFrom()
                    .failure(new RegistryPollException(access.host() + " answered 401 without a challenge"));
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = params.get("realm");
        URI realmUri;
        try {
            realmUri = realm == null ? null : URI.create(realm);
        } catch (IllegalArgumentException e) {
            realmUri = null;
        }
        if (realmUri == null
                || realmUri.getHost() == null
                || !("https".equals(realmUri.getScheme())
                        || access.plainHttp() && "http".equals(realmUri.getScheme()))) {
            return Uni.createFrom()
                    .failure(new RegistryPollException(access.host() + " named a token realm that is not an HTTPS URL"
                            + (access.plainHttp() ? " or an HTTP one" : "")));
        }
        String asked = params.getOrDefault("scope", scope);
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(encode(params.get("service"))).append('&');
        }
        query.append("scope=").append(encode(asked));
        URI tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(tokenUri).timeout(TIMEOUT).GET();
        if (access.signsIn()) {
            request.header("Authorization", basic(access));
        }
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
                .onFailure(IOException.class)
                .transform(e -> new RegistryPollException(
                        "the token service of " + access.host() + " did not answer: " + why(e), e))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new RegistryPollException("the token service of " + access.host() + " answered "
                                + response.statusCode() + (access.signsIn() ? " for its account" : " anonymously"));
                    }
                    try {
                        JsonNode body = json.readTree(response.body());
                        String token = body.path("token")
                                .asText(body.path("access_token").asText(""));
                        if (token.isEmpty()) {
                            throw new RegistryPollException("the token service of " + access.host() + " sent no token");
                        }
                        long seconds = Math.max(body.path("expires_in").asLong(60), 60);
                        tokens.put(
                                access.host() + " " + scope,
                                new Token(token, clock.instant().plusSeconds(seconds - 10)));
                        return "Bearer " + token;
                    } catch (IOException e) {
                        throw new RegistryPollException("the token service of " + access.host() + " sent no JSON");
                    }
                });
    }

    private Uni<HttpResponse<String>> call(Access access, String method, String path, String accept, String auth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base(access).resolve(path))
                .timeout(TIMEOUT)
                .header("Accept", accept)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
                .onFailure(IOException.class)
                .transform(e -> new RegistryPollException(access.host() + " did not answer: " + why(e), e));
    }

    private HttpResponse<String> checked(Access access, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        if (status == 429 || status == 503) {
            Instant until = clock.instant().plus(retryAfter(response.headers().firstValue("Retry-After"), clock));
            blockedUntil.put(access.host(), until);
            throw new RegistryPollException(access.host() + " answered " + status + ": waiting until " + until);
        }
        if (status == 401 || status == 403) {
            tokens.keySet().removeIf(key -> key.startsWith(access.host() + " "));
            throw new RegistryPollException(access.host() + " answered " + status + " for "
                    + response.request().uri().getRawPath()
                    + (access.signsIn() ? ": its account may not read the repository" : ": it wants an account"));
        }
        throw new RegistryPollException(access.host() + " answered " + status + " for "
                + response.request().uri().getRawPath());
    }

    /** How long a {@code Retry-After} (seconds or an HTTP date) asks to wait, within bounds. */
    static Duration retryAfter(Optional<String> header, Clock clock) {
        Duration wait = DEFAULT_RETRY_AFTER;
        if (header.isPresent()) {
            String value = header.get().strip();
            try {
                wait = Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException notSeconds) {
                try {
                    wait = Duration.between(
                            clock.instant(),
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                    .toInstant());
                } catch (DateTimeParseException notADate) {
                    wait = DEFAULT_RETRY_AFTER;
                }
            }
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** What went wrong on the network, for the poll's outcome: a refused connection has no message of its own. */
    static String why(Throwable failure) {
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }

    private static URI base(Access access) {
        String host = access.host().equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : access.host();
        return URI.create((access.plainHttp() ? "http://" : "https://") + host + "/");
    }

    private static String basic(Access access) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((access.username() + ":" + access.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
