package dev.windlass.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.ClusterShape;
import dev.windlass.devstack.EmbeddedPostgres;
import dev.windlass.devstack.KubeApiServer;
import dev.windlass.devstack.local.AotCache;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.devstack.local.ServiceProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./windlass-local} as a user runs it: a separate process (no build, free ports, its own state directory),
 * ready line, orchestrator {@code local} Connected, the documented sample deploy reaching SUCCEEDED, a clean stop on
 * SIGINT / SIGTERM that leaves no process and no listening port behind, and a second start that keeps the data and
 * trains again only the ahead-of-time cache that went stale.
 */
class LauncherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(6);
    private static final List<String> SERVICES = List.of(LocalSuite.REGISTRY, LocalSuite.DEPLOYER, LocalSuite.GATEWAY);
    private static final String TRAINING = "training run for the ahead-of-time cache of ";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Launcher> started = new ArrayList<>();
    private Path state;

    @AfterEach
    void cleanUp() {
        for (Launcher launcher : started) {
            launcher.killAll();
        }
        if (state != null) {
            EmbeddedPostgres.deleteData(state.resolve("postgres"));
            dev.windlass.devstack.Files2.deleteRecursively(state);
        }
    }

    @Test
    void startsDeploysStopsCleanlyAndKeepsTheDataForTheNextStart() throws Exception {
        state = Files.createTempDirectory("windlass-launcher-");

        Launcher first = start();
        Map<String, String> endpoints = first.endpoints();
        String gateway = endpoints.get("WINDLASS_GATEWAY_URL");
        String deployerToken = passwordGrantToken(endpoints.get("WINDLASS_OIDC_ISSUER"), "deployer");

        assertThat(first.readyLine())
                .contains("console " + gateway)
                .contains("deployer / deployer-dev-password")
                .contains("admin / admin-dev-password");
        assertThat(first.output()).anySatisfy(line -> assertThat(line).contains("orchestrator local     CONNECTED"));
        // each service runs with the JVM options of its application.properties, as its container image does
        for (String service : SERVICES) {
            List<String> own = ServiceProcess.ownJvmOptions(RunningSuite.root().resolve(service));
            assertThat(own).as(service + " names its JVM options").contains("-XX:+UseSerialGC");
            assertThat(first.serviceCommandLine(service)).as(service).containsSubsequence(own);
        }
        // on a JDK 25+ (if this machine has one) each service's first start trains its ahead-of-time cache
        first.assertStartedOnAotCaches(true);
        // the OCI registry runs with the suite, asks for credentials and says where it is
        String images = endpoints.get("WINDLASS_OCI_REGISTRY_URL");
        assertThat(first.output())
                .anySatisfy(line -> assertThat(line).contains("OCI registry").contains(images));
        assertThat(java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(URI.create(images + "/v2/"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(401);
        assertThat(localOrchestrator(gateway, deployerToken)
                        .path("connection")
                        .path("status")
                        .asText())
                .isEqualTo("CONNECTED");

        Process deploy = new ProcessBuilder(
                        "bash", "scripts/deploy-sample.sh", "--state", state.toString(), "--app", "launcher-hello")
                .directory(RunningSuite.root().toFile())
                .redirectErrorStream(true)
                .start();
        String deployOutput = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(deploy.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(deploy.exitValue()).as(deployOutput).isZero();
        assertThat(deployOutput).contains("ACCEPTED").contains("APPLYING").contains("SUCCEEDED");
        JsonNode deployments = get(gateway + "/api/deployments?app=launcher-hello", deployerToken);
        assertThat(deployments.path("items")).hasSize(1);
        String deploymentId = deployments.path("items").get(0).path("id").asText();
        assertThat(deployments.path("items").get(0).path("phase").asText()).isEqualTo("SUCCEEDED");

        first.stop("INT");
        first.assertNothingLeft();
        // as after a rebuild of the gateway alone: its cache is stale, the other two are current
        boolean aot = AotCache.findJdk(System.getenv()).isPresent();
        if (aot) {
            Files.delete(state.resolve("aot").resolve(LocalSuite.GATEWAY).resolve("app.aot"));
        }

        // the second start also registers a k3s cluster from its own kubeconfig, as a k3s user would
        try (KubeApiServer k3s = KubeApiServer.create(ClusterShape.K3S)) {
            k3s.start();
            Path kubeconfig = k3s.writeKubeconfig(state.resolve("k3s.yaml"));
            Launcher second = new Launcher(state, kubeconfig);
            started.add(second);
            second.awaitReady();
            // the gateway alone is trained again while the registry and the deployer keep running on their caches
            second.assertStartedOnAotCaches(aot);
            if (aot) {
                assertThat(second.output())
                        .filteredOn(line -> line.contains(TRAINING))
                        .singleElement()
                        .asString()
                        .contains(TRAINING + LocalSuite.GATEWAY + " on JDK");
                // and after it only the gateway starts again: a second registry or deployer would find its port
                // taken by the first, which keeps running
                List<String> output = List.copyOf(second.output());
                List<String> afterTraining = output.subList(
                        output.indexOf(output.stream()
                                .filter(line -> line.contains(TRAINING))
                                .findFirst()
                                .orElseThrow()),
                        output.size());
                for (String service : SERVICES) {
                    assertThat(afterTraining)
                            .as(service + " started after the training run")
                            .filteredOn(line -> line.contains("windlass: starting " + service + " ..."))
                            .hasSize(service.equals(LocalSuite.GATEWAY) ? 1 : 0);
                }
            }
            assertThat(second.output())
                    .anySatisfy(line -> assertThat(line)
                            .contains("orchestrator kubeconfig-default")
                            .contains("CONNECTED"));
            secondStart(second, deploymentId);
        }
    }

    private void secondStart(Launcher second, String deploymentId) throws Exception {
        Map<String, String> again = second.endpoints();
        String token = passwordGrantToken(again.get("WINDLASS_OIDC_ISSUER"), "deployer");
        JsonNode kept = get(again.get("WINDLASS_GATEWAY_URL") + "/api/deployments?app=launcher-hello", token);
        assertThat(kept.path("items")).extracting(d -> d.path("id").asText()).contains(deploymentId);
        // the new, empty API server got orchestrator "local" updated (URL, CA, token) and Connected again
        JsonNode local = localOrchestrator(again.get("WINDLASS_GATEWAY_URL"), token);
        assertThat(local.path("connection").path("status").asText()).isEqualTo("CONNECTED");
        assertThat(local.path("apiServerUrl").asText()).isEqualTo(again.get("WINDLASS_KUBE_API_URL"));

        second.stop("TERM");
        second.assertNothingLeft();
    }

    private Launcher start() throws IOException, InterruptedException, TimeoutException {
        Launcher launcher = new Launcher(state);
        started.add(launcher);
        launcher.awaitReady();
        return launcher;
    }

    private JsonNode localOrchestrator(String gateway, String token) throws IOException, InterruptedException {
        JsonNode page = get(gateway + "/api/orchestrators?nameContains=local", token);
        for (JsonNode item : page.path("items")) {
            if ("local".equals(item.path("name").asText())) {
                return item;
            }
        }
        return fail("no orchestrator local in " + page);
    }

    private JsonNode get(String url, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The dev issuer's password grant, as scripts/deploy-sample.sh uses it (dev only: no password is checked). */
    private String passwordGrantToken(String issuer, String user) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=windlass&scope="
                + URLEncoder.encode("openid profile email", StandardCharsets.UTF_8) + "&username=" + user
                + "&password=" + user + "-dev-password";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(issuer + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    /** One run of {@code ./windlass-local}, its console kept line by line (and copied to target/). */
    private static final class Launcher {
        private final Path state;
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<String> ready = new CompletableFuture<>();
        private final List<ProcessHandle> descendants = new ArrayList<>();
        private final List<Integer> ports = new ArrayList<>();
        private Map<String, String> endpoints;

        Launcher(Path state) throws IOException {
            this(state, null);
        }

        /** With a {@code kubeconfig}, the launcher also registers its current context ({@code --with-kubeconfig}). */
        Launcher(Path state, Path kubeconfig) throws IOException {
            this.state = state;
            Path root = RunningSuite.root();
            List<String> command = new ArrayList<>(
                    List.of("./windlass-local", "--no-build", "--ephemeral-ports", "--state", state.toString()));
            if (kubeconfig != null) {
                command.add("--with-kubeconfig");
            }
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
            builder.environment().put("WINDLASS_SKIP_BUILD", "1");
            if (kubeconfig != null) {
                builder.environment().put("KUBECONFIG", kubeconfig.toString());
            }
            process = builder.start();
            Path copy = root.resolve("suite-tests/target/launcher-" + process.pid() + ".out");
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                                PrintWriter log = new PrintWriter(Files.newBufferedWriter(copy))) {
                            for (String line; (line = in.readLine()) != null; ) {
                                lines.add(line);
                                log.println(line);
                                log.flush();
                                if (line.startsWith("windlass: ready in ")) {
                                    ready.complete(line);
                                }
                            }
                        } catch (IOException e) {
                            ready.completeExceptionally(e);
                        }
                        ready.completeExceptionally(new IllegalStateException("the launcher ended before ready"));
                    },
                    "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        void awaitReady() throws InterruptedException, TimeoutException, IOException {
            try {
                String line = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                System.out.println("LauncherTest: " + line);
            } catch (java.util.concurrent.ExecutionException e) {
                fail("launcher did not become ready: " + String.join("\n", lines), e);
            }
            process.toHandle().descendants().forEach(descendants::add);
            Properties env = new Properties();
            try (var in = Files.newBufferedReader(state.resolve(LocalSuite.ENDPOINTS))) {
                env.load(in);
            }
            endpoints = new LinkedHashMap<>();
            env.forEach((k, v) -> endpoints.put((String) k, (String) v));
            for (String key : List.of(
                    "WINDLASS_GATEWAY_URL",
                    "WINDLASS_REGISTRY_URL",
                    "WINDLASS_DEPLOYER_URL",
                    "WINDLASS_OIDC_ISSUER",
                    "WINDLASS_KUBE_API_URL",
                    "WINDLASS_OCI_REGISTRY_URL")) {
                ports.add(URI.create(endpoints.get(key)).getPort());
            }
            ports.add(Integer.parseInt(endpoints.get("WINDLASS_POSTGRES_PORT")));
            ports.add(Integer.parseInt(
                    endpoints.get("WINDLASS_KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", "")));
            assertThat(descendants)
                    .as("services, PostgreSQL, etcd and kube-apiserver run as children")
                    .hasSizeGreaterThanOrEqualTo(6);
        }

        /**
         * That the services run on a JDK 25+ where the launcher finds one, each on an ahead-of-time cache trained on
         * the copy of its build it runs from, after a training run at this start ({@code trained}) or not; and on
         * the launcher's JDK with the build's class-data archive where there is none.
         */
        void assertStartedOnAotCaches(boolean trained) {
            Optional<Path> jdk = AotCache.findJdk(System.getenv());
            for (String service : SERVICES) {
                ProcessHandle jvm = serviceJvm(service);
                List<String> command = serviceCommandLine(service);
                if (jdk.isEmpty()) {
                    assertThat(command).as(service).contains("-XX:SharedArchiveFile=app-cds.jsa");
                    continue;
                }
                Path cache = state.resolve("aot").resolve(service);
                assertThat(jvm.info().command().orElseThrow())
                        .as(service + "'s java")
                        .isEqualTo(jdk.get().resolve("bin/java").toString());
                assertThat(command).as(service).contains("-XX:AOTCache=" + cache.resolve("app.aot"));
                assertThat(readCwd(jvm.pid()))
                        .as(service)
                        .isEqualTo(cache.resolve("quarkus-app").toString());
            }
            if (jdk.isPresent()) {
                assertThat(lines.stream().anyMatch(line -> line.contains(TRAINING)))
                        .as("a training run at this start")
                        .isEqualTo(trained);
            }
        }

        /** The command line of the JVM the launcher started for {@code service}. */
        List<String> serviceCommandLine(String service) {
            return List.of(serviceJvm(service).info().arguments().orElseThrow());
        }

        private ProcessHandle serviceJvm(String service) {
            return process.toHandle()
                    .descendants()
                    .filter(p -> p.info()
                            .arguments()
                            .map(args -> List.of(args).contains("quarkus-run.jar"))
                            .orElse(false))
                    .filter(p -> readCwd(p.pid()).contains("/" + service + "/"))
                    .findFirst()
                    .orElseGet(() -> fail("no JVM of " + service + " among " + descendants));
        }

        private static String readCwd(long pid) {
            try {
                return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString();
            } catch (IOException gone) {
                return "";
            }
        }

        String readyLine() {
            return ready.join();
        }

        List<String> output() {
            return lines;
        }

        Map<String, String> endpoints() {
            return endpoints;
        }

        /** Sends the signal (INT or TERM) and waits for the launcher to end. */
        void stop(String signal) throws IOException, InterruptedException {
            String sigIgn = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .findFirst()
                    .orElse("SigIgn: 0")
                    .replaceAll("SigIgn:\\s*", "");
            if ("INT".equals(signal) && (Long.parseLong(sigIgn, 16) & 2) != 0) {
                // the JVM running this test was started with SIGINT ignored (a background job): so is the launcher
                System.out.println("LauncherTest: SIGINT is ignored in this process tree; sending SIGTERM instead");
                signal = "TERM";
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.waitFor(90, TimeUnit.SECONDS))
                    .as("the launcher ends after SIG" + signal)
                    .isTrue();
            assertThat(lines).contains("windlass: stopped");
        }

        void assertNothingLeft() throws InterruptedException {
            for (ProcessHandle p : descendants) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                    // reported below
                }
            }
            assertThat(descendants.stream()
                            .filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                            .toList())
                    .as("child processes still running after the launcher ended")
                    .isEmpty();
            for (int port : ports) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    fail("something still listens on port " + port);
                } catch (ConnectException expected) {
                    // nothing listens
                } catch (IOException other) {
                    // a timeout also means nobody accepted
                }
            }
            assertThat(state.resolve(LocalSuite.ENDPOINTS)).doesNotExist();
        }

        void killAll() {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
