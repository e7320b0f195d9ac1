package dev.windlass.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as a real Compose implementation reads it (`docker-compose config`, which needs
 * no daemon), with the example environment file. CI installs Debian's docker-compose (.ci/run); where
 * neither `docker-compose` nor `docker compose` exists the test is skipped and says so.
 */
class ComposeFileTest {

    private static final List<String> WINDLASS = List.of("identity-gateway", "registry-service", "deployer-service");
    private static final String ONE_SHOT = "kafka-init";

    static Map<String, Object> config;

    @BeforeAll
    static void resolveTheFile() throws Exception {
        List<String> compose = composeCommand();
        assumeThat(compose)
                .as("neither docker-compose nor `docker compose` is installed (CI installs Debian's docker-compose)")
                .isNotEmpty();
        Path repo = ChartFixture.repo();
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(
                "--env-file",
                repo.resolve("k8s/compose/env.example").toString(),
                "-f",
                repo.resolve("docker-compose.yml").toString(),
                "config"));
        Process process = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(false)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("%s%n%s", String.join(" ", command), err)
                .isZero();
        config = new YAMLMapper().readValue(out, new TypeReference<>() {});
    }

    @Test
    void runsTheSuiteWithItsInfrastructure() {
        assertThat(services())
                .containsOnlyKeys(
                        "postgres",
                        "kafka",
                        "kafka-init",
                        "authentik-postgres",
                        "authentik-server",
                        "authentik-worker",
                        "identity-gateway",
                        "registry-service",
                        "deployer-service");
        assertThat(service("kafka").get("image")).isEqualTo("docker.io/apache/kafka:4.0.0");
        assertThat(map(service("kafka").get("environment"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        WINDLASS.forEach(
                name -> assertThat(service(name).get("image")).isEqualTo("ghcr.io/windlass/" + name + ":0.1.0"));
    }

    @Test
    void everyServiceHasAHealthCheckAndWaitsForHealthyDependencies() {
        services().forEach((name, definition) -> {
            if (!name.equals(ONE_SHOT)) {
                assertThat(map(definition).get("healthcheck")).as(name).isNotNull();
            }
            Object dependsOn = map(definition).get("depends_on");
            if (dependsOn != null) {
                map(dependsOn)
                        .forEach((dependency, condition) -> assertThat(map(condition))
                                .as("%s -> %s", name, dependency)
                                .containsEntry(
                                        "condition",
                                        dependency.equals(ONE_SHOT)
                                                ? "service_completed_successfully"
                                                : "service_healthy"));
            }
        });
        assertThat(map(service("deployer-service").get("depends_on")))
                .containsKeys("postgres", "kafka", "kafka-init", "authentik-server", "registry-service");
        assertThat(map(service("registry-service").get("depends_on"))).containsKeys("kafka", "kafka-init");
        assertThat(map(service(ONE_SHOT).get("depends_on"))).containsOnlyKeys("kafka");
        assertThat(map(service("identity-gateway").get("depends_on")))
                .containsKeys("registry-service", "deployer-service", "authentik-server");
    }

    @Test
    void theAuthentikWorkerAppliesTheWindlassBlueprint() {
        List<String> volumes = volumes(service("authentik-worker"));
        assertThat(volumes)
                .anySatisfy(v -> assertThat(v)
                        .endsWith(
                                "k8s/authentik/windlass-blueprint.yaml:/blueprints/custom/windlass-blueprint.yaml:ro"));
        assertThat(map(service("authentik-worker").get("environment")))
                .containsKeys("WINDLASS_URL", "WINDLASS_OIDC_CLIENT_SECRET", "WINDLASS_SERVICE_APP_PASSWORD");
    }

    @Test
    void theServicesUseTheIssuerTheBrowserSees() {
        String issuer = "http://authentik.localhost:9000/application/o/windlass/";
        WINDLASS.forEach(name -> assertThat(map(service(name).get("environment")))
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", issuer)
                .containsEntry("QUARKUS_OIDC_CLIENT_ID", "windlass"));
        assertThat((List<Object>)
                        map(map(map(service("authentik-server").get("networks")).get("default")))
                                .get("aliases"))
                .contains("authentik.localhost");
        assertThat(map(service("authentik-worker").get("environment")))
                .containsEntry("WINDLASS_URL", "http://localhost:8080");
    }

    @Test
    void theRegistryAndTheDeployerGetTheirOwnAes256Keys() {
        Map<String, Object> registry = map(service("registry-service").get("environment"));
        Map<String, Object> deployer = map(service("deployer-service").get("environment"));

        assertThat(registry).containsEntry("WINDLASS_REGISTRY_ENCRYPTION_ACTIVE_KEY_ID", "k1");
        assertThat(deployer).containsEntry("WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID", "k1");
        String registryKey = (String) registry.get("WINDLASS_REGISTRY_ENCRYPTION_KEYS_K1");
        String deployerKey = (String) deployer.get("WINDLASS_DEPLOYER_SECRETS_KEYS_K1");
        assertThat(java.util.Base64.getDecoder().decode(registryKey)).hasSize(32);
        assertThat(java.util.Base64.getDecoder().decode(deployerKey)).hasSize(32);
        assertThat(deployerKey).as("one key per service").isNotEqualTo(registryKey);
        assertThat(deployer).doesNotContainKey("WINDLASS_REGISTRY_ENCRYPTION_KEYS_K1");
    }

    @Test
    void kafkaAuthenticatesEveryClientAndAuthorizesByAcl() {
        Map<String, Object> kafka = map(service("kafka").get("environment"));
        assertThat(kafka)
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "CLIENT://kafka:9092,BROKER://kafka:9094")
                .containsEntry(
                        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                        "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT")
                .containsEntry("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
                .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
                .containsEntry("KAFKA_SUPER_USERS", "User:admin")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        assertThat(service("kafka")).doesNotContainKey("ports");
        assertThat(map(service(ONE_SHOT).get("environment")))
                .containsEntry("WINDLASS_KAFKA_ADMIN_BOOTSTRAP", "kafka:9094")
                .containsEntry("WINDLASS_KAFKA_REQUEST_PRODUCERS", "ci-pipeline:changemekafkacipipeline");
        assertThat(volumes(service(ONE_SHOT)))
                .anySatisfy(v -> assertThat(v).endsWith("k8s/compose/kafka-init.sh:/windlass/kafka-init.sh:ro"));

        for (String name : List.of("registry-service", "deployer-service")) {
            Map<String, Object> env = map(service(name).get("environment"));
            String password = (String) map(service(ONE_SHOT).get("environment"))
                    .get(
                            name.equals("registry-service")
                                    ? "WINDLASS_KAFKA_REGISTRY_PASSWORD"
                                    : "WINDLASS_KAFKA_DEPLOYER_PASSWORD");
            assertThat(env)
                    .as(name)
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry(
                            "KAFKA_SASL_JAAS_CONFIG",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name
                                    + "\" password=\"" + password + "\";");
        }
        assertThat(map(service("identity-gateway").get("environment")))
                .doesNotContainKeys("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SASL_JAAS_CONFIG");
    }

    @Test
    void thePostgresInitScriptCreatesOneDatabasePerService() throws IOException {
        String script = Files.readString(ChartFixture.repo().resolve("k8s/compose/postgres-init.sh"));
        assertThat(script)
                .contains("CREATE DATABASE registry OWNER registry")
                .contains("CREATE DATABASE deployer OWNER deployer");
        assertThat(map(service("registry-service").get("environment")))
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://postgres:5432/registry")
                .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://postgres:5432/registry");
    }

    private static List<String> composeCommand() {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                Process process =
                        new ProcessBuilder(version).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException e) {
                // not installed: try the next one
            }
        }
        return List.of();
    }

    private static Map<String, Object> services() {
        return map(config.get("services"));
    }

    private static Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    /** Volumes as "source:target[:mode]", whichever syntax the Compose implementation prints. */
    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Object> service) {
        List<String> volumes = new ArrayList<>();
        for (Object volume : (List<Object>) service.get("volumes")) {
            if (volume instanceof String s) {
                volumes.add(s);
            } else {
                Map<String, Object> v = (Map<String, Object>) volume;
                volumes.add(v.get("source") + ":" + v.get("target")
                        + (Boolean.TRUE.equals(v.get("read_only")) ? ":ro" : ""));
            }
        }
        return volumes;
    }
}
