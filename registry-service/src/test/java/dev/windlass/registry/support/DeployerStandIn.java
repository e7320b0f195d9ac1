package dev.windlass.registry.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the deployer's internal API in the registry's tests: which apps an orchestrator has (none unless a
 * test says so) and the undeploy of them all, which it records. Answers only calls with a bearer token; the
 * deployer's own tests check who may call it.
 */
public final class DeployerStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Pattern PATH = Pattern.compile("^/internal/orchestrators/([^/]+)/apps(/undeploy)?$");

    private static Vertx vertx;
    private static HttpServer server;
    private static final Map<UUID, List<JsonObject>> APPS = new ConcurrentHashMap<>();
    private static final List<UUID> UNDEPLOYED = new CopyOnWriteArrayList<>();
    private static volatile boolean down;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            vertx = Vertx.vertx();
            try {
                server = vertx.createHttpServer()
                        .requestHandler(request -> {
                            Matcher matcher = PATH.matcher(request.path());
                            String auth = request.getHeader("Authorization");
                            if (down) {
                                request.response().setStatusCode(503).end();
                            } else if (!matcher.matches()) {
                                request.response().setStatusCode(404).end();
                            } else if (auth == null || !auth.startsWith("Bearer ")) {
                                request.response().setStatusCode(401).end();
                            } else {
                                UUID id = UUID.fromString(matcher.group(1));
                                List<JsonObject> apps = APPS.getOrDefault(id, List.of());
                                JsonArray body = new JsonArray();
                                if (matcher.group(2) != null) {
                                    UNDEPLOYED.add(id);
                                    apps.forEach(app -> body.add(app.copy()
                                            .put("action", "DELETE")
                                            .put("phase", "PENDING")
                                            .put(
                                                    "deploymentId",
                                                    UUID.randomUUID().toString())));
                                } else {
                                    apps.forEach(body::add);
                                }
                                request.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(body.encode());
                            }
                        })
                        .listen(0, "127.0.0.1")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the deployer stand-in did not start", e);
            }
        }
        return Map.of("windlass.registry.deployer-url", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        // shared by every test class of the run; the JVM's end stops it
    }

    /** The orchestrator has these apps, each with its latest deployment ({@code action} and {@code phase}). */
    public static void apps(UUID orchestrator, List<JsonObject> apps) {
        APPS.put(orchestrator, List.copyOf(apps));
    }

    /** One app as the deployer describes it. */
    public static JsonObject app(String namespace, String app, String action, String phase, String message) {
        return new JsonObject()
                .put("namespace", namespace)
                .put("app", app)
                .put("deploymentId", UUID.randomUUID().toString())
                .put("action", action)
                .put("phase", phase)
                .put("message", message);
    }

    /** Whether the undeploy of every app of the orchestrator was asked for. */
    public static boolean undeployed(UUID orchestrator) {
        return UNDEPLOYED.contains(orchestrator);
    }

    /** How often the undeploy of every app of the orchestrator was asked for. */
    public static long undeploys(UUID orchestrator) {
        return UNDEPLOYED.stream().filter(orchestrator::equals).count();
    }

    /** The deployer answers 503 while {@code true}. */
    public static void down(boolean value) {
        down = value;
    }
}
