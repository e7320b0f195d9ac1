package dev.windlass.devstack;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A real OCI registry for tests and the local suite: Debian's {@code docker-registry} package (the Distribution
 * registry 2.8, {@code /usr/bin/docker-registry}) on a free loopback port, with its own storage directory and basic
 * auth from an htpasswd file (bcrypt, as the registry requires), started on first use and stopped on {@link #close()}.
 * Images are pushed through the registry's HTTP API ({@link #push}): a config blob, one tiny layer and a manifest are
 * enough for a registry to list the tag and serve its digest.
 *
 * <p>{@link #createWithTokenAuth()} makes one that authenticates as Docker Hub, GHCR and Harbor do instead: token auth,
 * with an in-process {@link RegistryTokenServer} as its realm, so that clients must go through the bearer challenge,
 * fetch a token with {@link #USER} and the password, and retry with it; basic auth alone is refused there.
 */
public final class OciRegistry implements AutoCloseable {

    /** Where Debian's package puts the registry. */
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    public static final String USER = "windlass";

    /** Docker's image manifest, schema 2: what {@code docker push} sends and every registry serves. */
    public static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

    /** The {@code service} of a token-auth registry's challenges, and the {@code aud} of its tokens. */
    public static final String TOKEN_SERVICE = "windlass-dev-registry";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path workDir;
    private final String password;
    private final boolean tokenAuth;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private RegistryTokenServer tokens;
    private int port;
    private String notifyUrl;
    private String notifyAuthorization;

    private OciRegistry(Path workDir, String password, boolean tokenAuth) {
        this.workDir = workDir;
        this.password = password;
        this.tokenAuth = tokenAuth;
    }

    /** A registry with basic auth in a new temporary directory, not yet started. */
    public static OciRegistry create() {
        return create(false);
    }

    /**
     * A registry with token auth in a new temporary directory, not yet started: a client must go through the same
     * challenge and token request as against Docker Hub, GHCR or Harbor, which a registry with basic auth never asks.
     */
    public static OciRegistry createWithTokenAuth() {
        return create(true);
    }

    private static OciRegistry create(boolean tokenAuth) {
        try {
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            return new OciRegistry(
                    Files.createTempDirectory("windlass-registry-"),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                    tokenAuth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Has the registry tell {@code url} of every manifest pushed, as the Distribution registry's notifications do
     * (the envelope of {@code events}, retried with back-off until delivered), sending {@code Authorization:
     * <authorization>} with each. Call before {@link #start()}.
     */
    public synchronized OciRegistry notifying(String url, String authorization) {
        if (process != null) {
            throw new IllegalStateException("notifications are configured before the registry starts");
        }
        this.notifyUrl = url;
        this.notifyAuthorization = authorization;
        return this;
    }

    /** Whether this machine has the registry (the build installs Debian's {@code docker-registry}). */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts the registry (and in token auth its token server first, since the registry's configuration names it) and
     * waits until {@code /v2/} answers 401, as it does to anyone without credentials in either mode.
     */
    public synchronized OciRegistry start() {
        if (process != null) {
            return this;
        }
        if (!installed()) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's docker-registry package");
        }
        try {
            port = FreePorts.pick();
            Path config = workDir.resolve("config.yml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "version: 0.1",
                            "log:",
                            "  level: warn",
                            "storage:",
                            "  filesystem:",
                            "    rootdirectory: " + workDir.resolve("data"),
                            "  delete:",
                            "    enabled: true",
                            "http:",
                            "  addr: 127.0.0.1:" + port,
                            "auth:",
                            tokenAuth ? tokenAuthConfig() : htpasswdConfig(),
                            notifications()));
            process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            workDir.resolve("registry.log").toFile()))
                    .start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (status("GET", "/v2/") != 401) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the registry did not start; see " + workDir.resolve("registry.log"));
                }
                Thread.sleep(100);
            }
            return this;
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            // a caller's try-with-resources never closes what start() threw from: nothing may be left running
            stop();
            throw e;
        }
    }

    private String htpasswdConfig() throws IOException {
        Path htpasswd = workDir.resolve("htpasswd");
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Files.writeString(htpasswd, USER + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 6) + "\n");
        return String.join("\n", "  htpasswd:", "    realm: windlass-dev", "    path: " + htpasswd);
    }

    /**
     * The registry trusts tokens whose {@code iss} is the token server's, whose {@code aud} is {@link #TOKEN_SERVICE}
     * and whose {@code x5c} certificate verifies against the bundle: the token server's own self-signed certificate.
     */
    private String tokenAuthConfig() throws IOException {
        tokens = RegistryTokenServer.start(TOKEN_SERVICE, USER, password);
        Path bundle = workDir.resolve("token-root.pem");
        Files.writeString(bundle, tokens.rootCertificateBundle());
        return String.join(
                "\n",
                "  token:",
                "    realm: " + tokens.realm(),
                "    service: " + TOKEN_SERVICE,
                "    issuer: " + RegistryTokenServer.ISSUER,
                "    rootcertbundle: " + bundle);
    }

    private String notifications() {
        if (notifyUrl == null) {
            return "";
        }
        // manifests only: blob uploads and pulls say nothing of tags
        return String.join(
                "\n",
                "notifications:",
                "  endpoints:",
                "    - name: windlass",
                "      url: " + notifyUrl,
                "      headers:",
                "        Authorization: [\"" + notifyAuthorization + "\"]",
                "      timeout: 5s",
                "      threshold: 10",
                "      backoff: 1s",
                "      ignore:",
                "        actions: [pull, delete]",
                "        mediatypes: [application/octet-stream, application/vnd.docker.image.rootfs.diff.tar,"
                        + " application/vnd.docker.container.image.v1+json]",
                "");
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:<port>}, as image references name a registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    /** Whether this registry takes bearer tokens from its token server rather than basic auth. */
    public boolean tokenAuth() {
        return tokenAuth;
    }

    /**
     * The token server's URL, {@code http://127.0.0.1:<port>/token}: the {@code realm} of the registry's challenges,
     * which grants tokens to basic auth as {@link #USER}. Only a started registry with token auth has one.
     */
    public String tokenRealm() {
        return requireTokens().realm();
    }

    /** How many tokens the token server has issued, anonymous ones included; 0 with basic auth. */
    public int tokensIssued() {
        return tokens == null ? 0 : tokens.issued();
    }

    /** The {@code Authorization} header value of basic auth as {@link #USER}. */
    public String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Pushes an image {@code repository:tag} whose one layer holds {@code content}, as {@code docker push} would:
     * the layer and the config as blobs (monolithic upload), then the manifest, with a token for pull and push on
     * {@code repository} when the registry takes token auth. Returns the manifest's digest ({@code sha256:…}); the
     * same tag pushed again with other content gets another digest.
     */
    public String push(String repository, String tag, String content) {
        String authorization = authorization(repository);
        byte[] layer = content.getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + digest(layer) + "\"]},\"config\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        upload(repository, layer, authorization);
        upload(repository, config, authorization);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"size\":" + config.length + ",\"digest\":\""
                + digest(config) + "\"},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar\","
                + "\"size\":" + layer.length + ",\"digest\":\"" + digest(layer) + "\"}]}";
        HttpResponse<String> put = send(
                HttpRequest.newBuilder(URI.create(url() + "/v2/" + repository + "/manifests/" + tag))
                        .header("Content-Type", MANIFEST_TYPE)
                        .PUT(HttpRequest.BodyPublishers.ofString(manifest)),
                authorization);
        require(put, 201, "push manifest " + repository + ":" + tag);
        return put.headers()
                .firstValue("Docker-Content-Digest")
                .orElse(digest(manifest.getBytes(StandardCharsets.UTF_8)));
    }

    /** Stops the registry (and its token server) and deletes its storage. */
    @Override
    public synchronized void close() {
        stop();
        Files2.deleteRecursively(workDir);
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        if (tokens != null) {
            tokens.close();
            tokens = null;
        }
    }

    /**
     * The {@code Authorization} of calls on {@code repository}: basic auth, or a bearer token for pull and push on it
     * from the token server, asked with basic auth as a client would after the challenge. One token serves a push:
     * it outlives it many times over.
     */
    private String authorization(String repository) {
        if (!tokenAuth) {
            return basicAuth();
        }
        String scope = "repository:" + repository + ":pull,push";
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create(tokenRealm() + "?service="
                                + URLEncoder.encode(TOKEN_SERVICE, StandardCharsets.UTF_8) + "&scope="
                                + URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                        .GET(),
                basicAuth());
        require(response, 200, "get a token for " + scope);
        String token;
        try {
            token = JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "token");
        } catch (ParseException e) {
            throw new IllegalStateException("the token server answered no JSON: " + response.body(), e);
        }
        if (token == null) {
            throw new IllegalStateException("the token server answered no token: " + response.body());
        }
        return "Bearer " + token;
    }

    private RegistryTokenServer requireTokens() {
        if (!tokenAuth) {
            throw new IllegalStateException("this registry takes basic auth: it has no token server");
        }
        RegistryTokenServer started = tokens;
        if (started == null) {
            throw new IllegalStateException("the token server starts with the registry");
        }
        return started;
    }

    private void upload(String repository, byte[] blob, String authorization) {
        HttpResponse<String> started = send(
                HttpRequest.newBuilder(URI.create(url() + "/v2/" + repository + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody()),
                authorization);
        require(started, 202, "start a blob upload to " + repository);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI target = URI.create(url()).resolve(location);
        String separator = target.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> done = send(
                HttpRequest.newBuilder(URI.create(target + separator + "digest=" + digest(blob)))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)),
                authorization);
        require(done, 201, "upload a blob to " + repository);
    }

    /** The status of an anonymous call, -1 if the registry does not answer (yet). */
    private int status(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String authorization) {
        try {
            return http.send(
                    request.header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": answered " + response.statusCode() + " " + response.body());
        }
    }

    /** {@code sha256:<hex>} of {@code bytes}, as registries name blobs. */
    public static String digest(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
