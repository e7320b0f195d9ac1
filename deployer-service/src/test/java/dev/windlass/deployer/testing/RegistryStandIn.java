package dev.windlass.deployer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.access.Destination;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.KubeApiServer;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * A small real HTTP server standing in for the registry's internal API: {@code GET
 * /internal/orchestrators/{name}/connection} answers with connection material of the dev-stack Kubernetes API
 * server, only to callers whose bearer token the dev-stack issuer signed and which carries the services group.
 */
public final class RegistryStandIn {

    /**
     * Admin client certificate; members of the deployer and viewer groups may use every namespace (deployers deploy,
     * viewers read). Default namespace {@value #LOCAL_NAMESPACE}.
     */
    public static final String LOCAL = "local";

    /** Like {@link #LOCAL}, but the stand-in answers 503 for it: the registry is having a bad day. */
    public static final String UNAVAILABLE = "unavailable";

    /** Like {@link #LOCAL}, but the stand-in answers 503 for the calls {@link #failNextCalls} asks for. */
    public static final String FLAKY = "flaky";

    /** A ServiceAccount token with rights in {@value #RESTRICTED_NAMESPACE} only. */
    public static final String RESTRICTED = "restricted";

    /** Admin certificate, but only the group {@value #TEAM_GROUP} may deploy. */
    public static final String TEAM_ONLY = "team-only";

    /**
     * Admin certificate, shared by two teams: {@value #TEAM_GROUP} may use the namespaces {@code team-x-*} and hosts
     * {@value #TEAM_HOSTS}, {@value #OTHER_TEAM_GROUP} only {@code team-y} and any host.
     */
    public static final String SHARED = "shared";

    public static final String OTHER_TEAM_GROUP = "team-y";

    public static final String LOCAL_NAMESPACE = "windlass-e2e";
    public static final String RESTRICTED_NAMESPACE = "team-a";
    public static final String TEAM_GROUP = "team-x";

    /** Team x's namespaces may expose hosts under this suffix only; team y's any host. */
    public static final String TEAM_HOSTS = "*.team-x.example.test";

    /** The destinations of {@link #SHARED}. */
    public static final List<Destination> SHARED_DESTINATIONS = List.of(
            new Destination(List.of("team-x-*"), List.of(TEAM_GROUP), List.of(TEAM_HOSTS)),
            new Destination(List.of("team-y"), List.of(OTHER_TEAM_GROUP)));

    private static final Pattern PATH = Pattern.compile("^/internal/orchestrators/([^/]+)/connection$");
    private static RegistryStandIn current;

    private final Vertx vertx = Vertx.vertx();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ClusterConnection> orchestrators = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, AtomicInteger> toFail = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    private final JwtConsumer tokens;
    private HttpServer server;

    private RegistryStandIn() {
        AuthentikIssuer issuer = DevStack.oidc();
        tokens = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer(issuer.issuer())
                .setExpectedAudience(AuthentikIssuer.CLIENT_ID)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(issuer.jwksUrl())))
                .build();
    }

    /** Starts the stand-in with the dev-stack orchestrators. */
    public static synchronized RegistryStandIn start() {
        if (current == null) {
            RegistryStandIn standIn = new RegistryStandIn();
            standIn.describeDevStack();
            standIn.listen();
            current = standIn;
        }
        return current;
    }

    /** The running stand-in. */
    public static synchronized RegistryStandIn current() {
        if (current == null) {
            throw new IllegalStateException("the registry stand-in is not running");
        }
        return current;
    }

    static synchronized void stopCurrent() {
        if (current != null) {
            current.vertx.close().toCompletionStage().toCompletableFuture().join();
            current = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The next {@code calls} calls for the orchestrator answer 503. */
    public void failNextCalls(String orchestrator, int calls) {
        toFail.computeIfAbsent(orchestrator, k -> new AtomicInteger()).set(calls);
    }

    /** How many calls for the orchestrator answered 503 by {@link #failNextCalls}. */
    public int failedCalls(String orchestrator) {
        AtomicInteger count = failed.get(orchestrator);
        return count == null ? 0 : count.get();
    }

    /** How often the material of this orchestrator was served. */
    public int served(String orchestrator) {
        return served.computeIfAbsent(orchestrator, k -> new AtomicInteger()).get();
    }

    /** How many calls were refused for want of a valid service token. */
    public int refused() {
        return refused.get();
    }

    /** Adds or replaces an orchestrator. */
    public void put(ClusterConnection connection) {
        orchestrators.put(connection.name(), connection);
    }

    public ClusterConnection get(String name) {
        return orchestrators.get(name);
    }

    /**
     * Renames an orchestrator, keeping its id, as the registry does on a {@code PUT} with another name; the deployer
     * sees it once its cached material is dropped (the registry's orchestrator event does that).
     */
    public void rename(String from, String to) {
        ClusterConnection c = orchestrators.remove(from);
        put(copy(c, to, c.destinations()));
    }

    /** Gives the orchestrator other destinations; the deployer sees them once its cached material is dropped. */
    public void setDestinations(String name, List<Destination> destinations) {
        put(withDestinations(orchestrators.get(name), destinations));
    }

    /**
     * Deletes the orchestrator and registers the same cluster again under the same name, as a user may: a new record
     * with a new id, which the deployer sees once its cached material is dropped. Returns the new id.
     */
    public UUID registerAgain(String name) {
        UUID fresh = UUID.randomUUID();
        ClusterConnection c = orchestrators.get(name);
        put(copy(c, fresh, name, c.destinations()));
        return fresh;
    }

    private static ClusterConnection withDestinations(ClusterConnection c, List<Destination> destinations) {
        return copy(c, c.name(), destinations);
    }

    /** The orchestrator under another name, or with other destinations; everything else as it was. */
    private static ClusterConnection copy(ClusterConnection c, String name, List<Destination> destinations) {
        return copy(c, c.id(), name, destinations);
    }

    private static ClusterConnection copy(ClusterConnection c, UUID id, String name, List<Destination> destinations) {
        return new ClusterConnection(
                id,
                name,
                c.type(),
                c.environment(),
                c.apiServerUrl(),
                c.authType(),
                c.token(),
                c.clientCertificatePem(),
                c.clientKeyPem(),
                c.caCertificatePem(),
                c.skipTlsVerify(),
                c.metalLbIpRange(),
                c.defaultNamespace(),
                c.allowedGroups(),
                c.version(),
                destinations,
                c.authentikOutpostUrl());
    }

    public void remove(String name) {
        orchestrators.remove(name);
    }

    private void describeDevStack() {
        KubeApiServer kube = DevStack.kube();
        kube.ensureNamespace(LOCAL_NAMESPACE);
        put(certificate(LOCAL, List.of("windlass-deployers", "windlass-viewers"), LOCAL_NAMESPACE));
        put(certificate(FLAKY, List.of("windlass-deployers", "windlass-viewers"), LOCAL_NAMESPACE));
        put(certificate(TEAM_ONLY, List.of(TEAM_GROUP), LOCAL_NAMESPACE));
        put(withDestinations(
                certificate(SHARED, List.of(TEAM_GROUP, OTHER_TEAM_GROUP), "team-y"), SHARED_DESTINATIONS));
        String token = kube.serviceAccountToken(
                RESTRICTED_NAMESPACE,
                "windlass-restricted",
                List.of(new PolicyRuleBuilder()
                        .withApiGroups("*")
                        .withResources("*")
                        .withVerbs("*")
                        .build()));
        put(new ClusterConnection(
                id(RESTRICTED),
                RESTRICTED,
                "K8S",
                "dev",
                kube.url(),
                "TOKEN",
                token,
                null,
                null,
                kube.caCertPem(),
                false,
                null,
                RESTRICTED_NAMESPACE,
                List.of("windlass-deployers"),
                1));
    }

    /**
     * The id of the orchestrator named {@code name}: the same in every test class, as a registry keeps it, so that
     * what one class deployed is owned by the orchestrator of the same name in the next.
     */
    public static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ClusterConnection certificate(String name, List<String> groups, String namespace) {
        return admin(DevStack.kube(), name, "K8S", null, namespace, groups);
    }

    /**
     * An orchestrator reached as the cluster admin (client certificate) of {@code kube}, which may be another API
     * server than the dev stack's; add it with {@link #put}.
     */
    public static ClusterConnection admin(
            KubeApiServer kube,
            String name,
            String type,
            String metalLbIpRange,
            String namespace,
            List<String> deployerGroups) {
        return new ClusterConnection(
                id(name),
                name,
                type,
                "dev",
                kube.url(),
                "CERTIFICATE",
                null,
                kube.adminClientCertPem(),
                kube.adminClientKeyPem(),
                kube.caCertPem(),
                false,
                metalLbIpRange,
                namespace,
                deployerGroups,
                1);
    }

    private void listen() {
        try {
            server = vertx.createHttpServer()
                    .requestHandler(this::handle)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the registry stand-in did not start", e);
        }
    }

    private void handle(HttpServerRequest request) {
        vertx.<Answer>executeBlocking(
                        () -> answer(request.method().name(), request.path(), request.getHeader("Authorization")))
                .onComplete(result -> {
                    Answer answer = result.succeeded() ? result.result() : new Answer(500, "{}");
                    request.response()
                            .setStatusCode(answer.status())
                            .putHeader("Content-Type", "application/json")
                            .end(answer.body());
                });
    }

    private record Answer(int status, String body) {}

    private Answer answer(String method, String path, String authorization) throws Exception {
        Matcher matcher = PATH.matcher(path);
        if (!"GET".equals(method) || !matcher.matches()) {
            return new Answer(404, "{\"status\":404}");
        }
        if (!serviceToken(authorization)) {
            refused.incrementAndGet();
            return new Answer(401, "{\"status\":401}");
        }
        // the deployer asks by id or by name, as the registry answers both; what is counted is counted by name
        String ref = matcher.group(1);
        String name = dev.windlass.common.identity.OrchestratorRef.id(ref)
                .flatMap(id -> orchestrators.values().stream()
                        .filter(c -> id.equals(c.id()))
                        .map(ClusterConnection::name)
                        .findFirst())
                .orElse(ref);
        if (UNAVAILABLE.equals(name)) {
            return new Answer(503, "{\"status\":503}");
        }
        AtomicInteger failing = toFail.get(name);
        if (failing != null && failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failed.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return new Answer(503, "{\"status\":503}");
        }
        ClusterConnection connection = orchestrators.get(name);
        if (connection == null) {
            return new Answer(404, "{\"status\":404,\"detail\":\"no orchestrator is named " + name + "\"}");
        }
        served.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        return new Answer(200, json.writeValueAsString(connection));
    }

    private boolean serviceToken(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            JwtClaims claims = tokens.processToClaims(authorization.substring("Bearer ".length()));
            return claims.getStringListClaimValue("groups").contains(AuthentikIssuer.SERVICES_GROUP);
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException | RuntimeException e) {
            return false;
        }
    }
}
