package dev.windlass.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token server of a registry in token auth, as Docker Hub's {@code auth.docker.io}, GHCR's and Harbor's are: the
 * registry answers 401 with a {@code Bearer} challenge naming this server, the client brings its credentials here and
 * gets a short-lived JWT listing what it may do on which repositories, and the registry checks that JWT against the
 * certificate it trusts without ever calling back. Serves {@code GET /token?service=…&scope=…[&scope=…][&account=…]}
 * on a free loopback port: the right password gets {@code pull}, {@code push} and {@code *} as asked on each
 * {@code repository:} scope, a caller with no credentials an anonymous token with an empty access list (as Docker Hub
 * answers one), wrong credentials a 401.
 *
 * <p>Tokens are ES256 JWTs whose {@code x5c} header holds a self-signed certificate of the signing key; the registry's
 * {@code rootcertbundle} holds the same certificate, which is all the Distribution registry needs to trust them.
 */
final class RegistryTokenServer implements AutoCloseable {

    /** The {@code iss} of every token; the registry's {@code auth.token.issuer}. */
    static final String ISSUER = "windlass-dev-registry-token";

    /** The lifetime registries' token servers give: Docker Hub's, and the Distribution registry's recommendation. */
    static final Duration LIFETIME = Duration.ofSeconds(300);

    /** Back-dated so that a registry whose clock is slightly behind still takes a fresh token. */
    private static final Duration NOT_BEFORE_SKEW = Duration.ofSeconds(10);

    private static final Set<String> GRANTABLE = Set.of("pull", "push", "*");

    private final String service;
    private final String user;
    private final String password;
    private final CertificateAuthority signer;
    private final AtomicInteger issued = new AtomicInteger();
    private final HttpServer server;

    private RegistryTokenServer(String service, String user, String password) {
        this.service = service;
        this.user = user;
        this.password = password;
        // a self-signed certificate: in x5c it is its own chain, and in the bundle its own root
        this.signer =
                CertificateAuthority.create("windlass dev registry token signer", CertificateAuthority.KeyType.EC_P256);
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::handle);
    }

    /** A token server for the registry's {@code service}, taking {@code user} with {@code password}, started. */
    static RegistryTokenServer start(String service, String user, String password) {
        RegistryTokenServer tokens = new RegistryTokenServer(service, user, password);
        tokens.server.start();
        return tokens;
    }

    /** {@code http://127.0.0.1:<port>/token}: the {@code realm} of the registry's challenges. */
    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The signing certificate as PEM: the registry's {@code rootcertbundle}. */
    String rootCertificateBundle() {
        return Pem.certificates(signer.certificate());
    }

    /** How many tokens this server has issued, anonymous ones included. */
    int issued() {
        return issued.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/token")) {
                respond(exchange, 404, error("NOT_FOUND", "no such endpoint"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, error("UNSUPPORTED", "only GET is served"));
                return;
            }
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            String requestedService = first(query, "service");
            if (requestedService != null && !requestedService.equals(service)) {
                respond(exchange, 400, error("INVALID_REQUEST", "unknown service " + requestedService));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String subject;
            if (authorization == null) {
                subject = "";
            } else if (authenticated(authorization)) {
                subject = user;
            } else {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + ISSUER + "\"");
                respond(exchange, 401, error("UNAUTHORIZED", "incorrect username or password"));
                return;
            }
            String account = first(query, "account");
            if (account != null && !account.isEmpty() && !account.equals(subject)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + ISSUER + "\"");
                respond(exchange, 401, error("UNAUTHORIZED", "the account is not the one authenticated"));
                return;
            }
            List<Map<String, Object>> access =
                    subject.isEmpty() ? List.of() : grants(query.getOrDefault("scope", List.of()));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = sign(subject, access, now);
            issued.incrementAndGet();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            // OAuth2-minded clients read access_token; Docker's read token: registries send both, the same
            body.put("access_token", token);
            body.put("expires_in", LIFETIME.toSeconds());
            body.put("issued_at", now.toString());
            respond(exchange, 200, JSONObjectUtils.toJSONString(body));
        }
    }

    private boolean authenticated(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(
                    java.util.Base64.getDecoder()
                            .decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8), decoded.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code access} claim for the scopes asked: {@code repository:<name>:<action>[,<action>…]}, each scope one
     * query parameter or several in one separated by spaces (the OAuth2 form). The name may hold colons (a registry
     * host with a port), so the type ends at the first colon and the actions start after the last. Other resource
     * types and actions are not granted; the actions on one repository asked in several scopes are merged.
     */
    private static List<Map<String, Object>> grants(List<String> scopes) {
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        for (String parameter : scopes) {
            for (String scope : parameter.trim().split("\\s+")) {
                int typeEnd = scope.indexOf(':');
                int nameEnd = scope.lastIndexOf(':');
                if (typeEnd < 0
                        || nameEnd <= typeEnd
                        || !scope.substring(0, typeEnd).equals("repository")) {
                    continue;
                }
                String name = scope.substring(typeEnd + 1, nameEnd);
                for (String action : scope.substring(nameEnd + 1).split(",")) {
                    if (!name.isEmpty() && GRANTABLE.contains(action)) {
                        granted.computeIfAbsent(name, n -> new LinkedHashSet<>())
                                .add(action);
                    }
                }
            }
        }
        List<Map<String, Object>> access = new ArrayList<>();
        granted.forEach((name, actions) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "repository");
            entry.put("name", name);
            entry.put("actions", List.copyOf(actions));
            access.add(entry);
        });
        return access;
    }

    /**
     * The JWT as the Distribution registry reads it: {@code aud} one string (2.8 does not take a list), {@code exp}
     * and {@code nbf} present (absent they read as 1970), the key's certificate in {@code x5c} as standard base64 DER,
     * the ECDSA signature in the JWS form of r and s concatenated.
     */
    private String sign(String subject, List<Map<String, Object>> access, Instant now) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .type(JOSEObjectType.JWT)
                    .x509CertChain(List.of(Base64.encode(signer.certificate().getEncoded())))
                    .build();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .subject(subject)
                    .audience(service)
                    .expirationTime(Date.from(now.plus(LIFETIME)))
                    .notBeforeTime(Date.from(now.minus(NOT_BEFORE_SKEW)))
                    .issueTime(Date.from(now))
                    .jwtID(UUID.randomUUID().toString())
                    .claim("access", access)
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner((ECPrivateKey) signer.keys().getPrivate()));
            return jwt.serialize();
        } catch (CertificateEncodingException | JOSEException e) {
            throw new IllegalStateException("could not sign a registry token", e);
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The error body of the Distribution registry's API, which Docker's clients print. */
    private static String error(String code, String message) {
        return JSONObjectUtils.toJSONString(Map.of("errors", List.of(Map.of("code", code, "message", message))));
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
