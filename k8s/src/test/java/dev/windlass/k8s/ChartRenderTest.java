package dev.windlass.k8s;

import static dev.windlass.k8s.ChartFixture.TEST_KUBE_VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the chart renders, with default and production-like values. */
class ChartRenderTest {

    private static final List<String> SERVICES = List.of("identity-gateway", "registry-service", "deployer-service");

    private static List<HasMetadata> render(Map<String, String> sets, Path... valuesFiles) {
        return ChartFixture.objects(ChartFixture.template("windlass", TEST_KUBE_VERSION, List.of(valuesFiles), sets));
    }

    private static Map<String, Deployment> deployments(List<HasMetadata> objects) {
        return ChartFixture.ofKind(objects, Deployment.class).stream()
                .collect(Collectors.toMap(
                        d -> d.getMetadata().getLabels().get("app.kubernetes.io/component"), Function.identity()));
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, EnvVar> env(Deployment deployment) {
        return container(deployment).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, Function.identity(), (a, b) -> b, LinkedHashMap::new));
    }

    private static String secretRef(EnvVar var) {
        return var.getValueFrom().getSecretKeyRef().getName() + "/"
                + var.getValueFrom().getSecretKeyRef().getKey();
    }

    @Test
    void rendersTheThreeServicesFromTheirJvmImagesByDefault() {
        Map<String, Deployment> deployments = deployments(render(Map.of()));

        assertThat(deployments).containsOnlyKeys(SERVICES);
        SERVICES.forEach(service -> {
            Deployment deployment = deployments.get(service);
            assertThat(container(deployment).getImage()).isEqualTo("ghcr.io/windlass/" + service + ":0.1.0");
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsUser())
                    .isEqualTo(185L);
            assertThat(container(deployment).getWorkingDir()).isEqualTo("/home/jboss");
            assertThat(container(deployment).getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .containsExactly("/tmp", "/home/jboss/config");
        });
    }

    @Test
    void theNativeFlavorPicksTheNativeImagesAndTheirUser() {
        Map<String, Deployment> deployments =
                deployments(render(Map.of("image.flavor", "native", "image.tag", "1.2.3")));

        SERVICES.forEach(service -> {
            Deployment deployment = deployments.get(service);
            assertThat(container(deployment).getImage()).isEqualTo("ghcr.io/windlass/" + service + ":1.2.3-native");
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getSecurityContext()
                            .getRunAsUser())
                    .isEqualTo(1001L);
            assertThat(container(deployment).getWorkingDir()).isEqualTo("/work");
            assertThat(container(deployment).getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .containsExactly("/tmp", "/work/config");
        });
    }

    @Test
    void everyServiceGetsItsConfigurationAsQuarkusEnvironmentVariables() {
        Map<String, Deployment> deployments = deployments(render(Map.of()));

        assertThat(env(deployments.get("identity-gateway")))
                .containsOnlyKeys(
                        "QUARKUS_HTTP_PORT",
                        "QUARKUS_OIDC_AUTH_SERVER_URL",
                        "QUARKUS_OIDC_CLIENT_ID",
                        "QUARKUS_OIDC_CREDENTIALS_SECRET",
                        "QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET",
                        "QUARKUS_OIDC_AUTHENTICATION_STATE_SECRET",
                        "WINDLASS_GATEWAY_REGISTRY_URL",
                        "WINDLASS_GATEWAY_DEPLOYER_URL",
                        "WINDLASS_TRUSTED_PROXIES");
        assertThat(env(deployments.get("registry-service")))
                .containsOnlyKeys(
                        "QUARKUS_HTTP_PORT",
                        "QUARKUS_OIDC_AUTH_SERVER_URL",
                        "QUARKUS_OIDC_CLIENT_ID",
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        "QUARKUS_DATASOURCE_USERNAME",
                        "QUARKUS_DATASOURCE_PASSWORD",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "WINDLASS_REGISTRY_DEPLOYER_URL",
                        "QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL",
                        "QUARKUS_OIDC_CLIENT_CLIENT_ID",
                        "QUARKUS_OIDC_CLIENT_SCOPES",
                        "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET");
        assertThat(env(deployments.get("registry-service"))
                        .get("WINDLASS_REGISTRY_DEPLOYER_URL")
                        .getValue())
                .isEqualTo("http://windlass-deployer-service:8082");
        assertThat(secretRef(env(deployments.get("registry-service")).get("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET")))
                .as("the registry asks the deployer as the same service client")
                .isEqualTo("windlass-deployer-service/service-client-secret");
        assertThat(container(deployments.get("registry-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("windlass-registry-encryption");
        assertThat(env(deployments.get("deployer-service")))
                .containsOnlyKeys(
                        "QUARKUS_HTTP_PORT",
                        "QUARKUS_OIDC_AUTH_SERVER_URL",
                        "QUARKUS_OIDC_CLIENT_ID",
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        "QUARKUS_DATASOURCE_USERNAME",
                        "QUARKUS_DATASOURCE_PASSWORD",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "WINDLASS_DEPLOYER_REGISTRY_URL",
                        "QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL",
                        "QUARKUS_OIDC_CLIENT_CLIENT_ID",
                        "QUARKUS_OIDC_CLIENT_SCOPES",
                        "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET");

        assertThat(container(deployments.get("deployer-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("windlass-deployer-sealing");
        assertThat(container(deployments.get("identity-gateway")).getEnvFrom()).isNullOrEmpty();

        Map<String, EnvVar> gateway = env(deployments.get("identity-gateway"));
        assertThat(gateway.get("WINDLASS_GATEWAY_REGISTRY_URL").getValue())
                .isEqualTo("http://windlass-registry-service:8081");
        assertThat(gateway.get("WINDLASS_GATEWAY_DEPLOYER_URL").getValue())
                .isEqualTo("http://windlass-deployer-service:8082");
        Map<String, EnvVar> deployer = env(deployments.get("deployer-service"));
        assertThat(deployer.get("WINDLASS_DEPLOYER_REGISTRY_URL").getValue())
                .isEqualTo("http://windlass-registry-service:8081");
        assertThat(deployer.get("QUARKUS_DATASOURCE_JDBC_URL").getValue())
                .isEqualTo("jdbc:postgresql://postgresql:5432/deployer");
        assertThat(deployer.get("QUARKUS_DATASOURCE_REACTIVE_URL").getValue())
                .isEqualTo("postgresql://postgresql:5432/deployer");
        assertThat(deployer.get("QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL").getValue())
                .isEqualTo("https://authentik.example.com/application/o/windlass/");
        assertThat(deployer.get("QUARKUS_OIDC_CLIENT_SCOPES").getValue())
                .as("profile carries the groups claim")
                .isEqualTo("openid,profile");
    }

    @Test
    void secretsComeFromTheChartsSecretsOrFromExistingOnes() {
        List<HasMetadata> defaults = render(Map.of());
        assertThat(ChartFixture.ofKind(defaults, Secret.class))
                .extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "windlass-identity-gateway", "windlass-registry-service", "windlass-deployer-service");
        Map<String, Deployment> deployments = deployments(defaults);
        assertThat(secretRef(env(deployments.get("identity-gateway")).get("QUARKUS_OIDC_CREDENTIALS_SECRET")))
                .isEqualTo("windlass-identity-gateway/client-secret");
        assertThat(secretRef(env(deployments.get("identity-gateway")).get("QUARKUS_OIDC_AUTHENTICATION_STATE_SECRET")))
                .isEqualTo("windlass-gateway-session/state-secret");
        assertThat(secretRef(env(deployments.get("registry-service")).get("QUARKUS_DATASOURCE_PASSWORD")))
                .isEqualTo("windlass-registry-service/database-password");
        assertThat(secretRef(env(deployments.get("deployer-service")).get("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET")))
                .isEqualTo("windlass-deployer-service/service-client-secret");

        List<HasMetadata> prod = render(Map.of(), ChartFixture.prodValues());
        assertThat(ChartFixture.ofKind(prod, Secret.class)).isEmpty();
        Map<String, Deployment> prodDeployments = deployments(prod);
        Map<String, EnvVar> gateway = env(prodDeployments.get("identity-gateway"));
        assertThat(secretRef(gateway.get("QUARKUS_OIDC_CREDENTIALS_SECRET"))).isEqualTo("windlass-oidc/client-secret");
        assertThat(secretRef(gateway.get("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET")))
                .isEqualTo("windlass-gateway-session/token-encryption-secret");
        assertThat(secretRef(env(prodDeployments.get("registry-service")).get("QUARKUS_DATASOURCE_PASSWORD")))
                .isEqualTo("windlass-db-registry/password");
        assertThat(container(prodDeployments.get("registry-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("windlass-registry-encryption");
        Map<String, EnvVar> deployer = env(prodDeployments.get("deployer-service"));
        assertThat(secretRef(deployer.get("QUARKUS_DATASOURCE_PASSWORD"))).isEqualTo("windlass-db-deployer/password");
        assertThat(secretRef(deployer.get("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET")))
                .isEqualTo("windlass-service-client/client-secret");
        assertThat(container(prodDeployments.get("deployer-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("windlass-deployer-sealing");
        assertThat(deployer.get("QUARKUS_DATASOURCE_JDBC_URL").getValue())
                .isEqualTo("jdbc:postgresql://windlass-pg-rw.databases.svc:5432/deployer?sslmode=require");
    }

    @Test
    void encryptionKeysFromValuesBecomeTheRegistrysEnvironment() {
        List<HasMetadata> objects = render(Map.of(
                "registry.encryption.activeKeyId", "k2026",
                "registry.encryption.keys.k2025", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "registry.encryption.keys.k2026", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="));

        Secret secret = ChartFixture.ofKind(objects, Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals("windlass-registry-encryption"))
                .findFirst()
                .orElseThrow();
        assertThat(secret.getData())
                .containsOnlyKeys(
                        "WINDLASS_REGISTRY_ENCRYPTION_ACTIVE_KEY_ID",
                        "WINDLASS_REGISTRY_ENCRYPTION_KEYS_K2025",
                        "WINDLASS_REGISTRY_ENCRYPTION_KEYS_K2026");
        assertThat(decode(secret.getData().get("WINDLASS_REGISTRY_ENCRYPTION_ACTIVE_KEY_ID")))
                .isEqualTo("k2026");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void sealingKeysFromValuesBecomeTheDeployersEnvironment() {
        List<HasMetadata> objects = render(Map.of(
                "deployer.sealing.activeKeyId", "k2026",
                "deployer.sealing.keys.k2025", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "deployer.sealing.keys.k2026", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="));

        Secret secret = secretNamed(objects, "windlass-deployer-sealing");
        assertThat(secret.getData())
                .containsOnlyKeys(
                        "WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID",
                        "WINDLASS_DEPLOYER_SECRETS_KEYS_K2025",
                        "WINDLASS_DEPLOYER_SECRETS_KEYS_K2026");
        assertThat(decode(secret.getData().get("WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID")))
                .isEqualTo("k2026");
        assertThat(decode(secret.getData().get("WINDLASS_DEPLOYER_SECRETS_KEYS_K2025")))
                .isEqualTo("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(container(deployments(objects).get("deployer-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("windlass-deployer-sealing");
        deployments(objects).forEach((service, deployment) -> {
            if (!service.equals("deployer-service")) {
                assertThat(container(deployment).getEnvFrom())
                        .as(service)
                        .noneMatch(e -> e.getSecretRef().getName().equals("windlass-deployer-sealing"));
            }
        });
    }

    @Test
    void theImageWebhookSecretReachesOnlyTheDeployerFromTheChartsSecretOrAnExistingOne() {
        assertThat(env(deployments(render(Map.of())).get("deployer-service")))
                .as("webhooks off unless a secret is given")
                .doesNotContainKey("WINDLASS_DEPLOYER_IMAGE_UPDATES_WEBHOOK_SECRET");

        List<HasMetadata> objects =
                render(Map.of("deployer.imageWebhooks.secret", "a-webhook-secret-of-32-characters"));
        assertThat(secretRef(env(deployments(objects).get("deployer-service"))
                        .get("WINDLASS_DEPLOYER_IMAGE_UPDATES_WEBHOOK_SECRET")))
                .isEqualTo("windlass-deployer-service/image-webhook-secret");
        assertThat(decode(secretNamed(objects, "windlass-deployer-service")
                        .getData()
                        .get("image-webhook-secret")))
                .isEqualTo("a-webhook-secret-of-32-characters");
        deployments(objects).forEach((service, deployment) -> {
            if (!service.equals("deployer-service")) {
                assertThat(env(deployment))
                        .as(service)
                        .doesNotContainKey("WINDLASS_DEPLOYER_IMAGE_UPDATES_WEBHOOK_SECRET");
            }
        });

        List<HasMetadata> existing = render(Map.of(
                "deployer.imageWebhooks.existingSecret", "registry-hooks",
                "deployer.imageWebhooks.existingSecretKey", "token"));
        assertThat(secretRef(env(deployments(existing).get("deployer-service"))
                        .get("WINDLASS_DEPLOYER_IMAGE_UPDATES_WEBHOOK_SECRET")))
                .isEqualTo("registry-hooks/token");
        assertThat(secretNamed(existing, "windlass-deployer-service").getData())
                .doesNotContainKey("image-webhook-secret");
    }

    @Test
    void sealingKeysCanComeFromAnExistingSecret() {
        List<HasMetadata> withHooks = ChartFixture.objects(ChartFixture.templateWithHooks(
                "windlass", TEST_KUBE_VERSION, List.of(), Map.of("deployer.sealing.existingSecret", "my-sealing")));

        assertThat(ChartFixture.ofKind(withHooks, Secret.class))
                .extracting(s -> s.getMetadata().getName())
                .as("neither rendered from values nor generated")
                .doesNotContain("windlass-deployer-sealing");
        assertThat(container(deployments(withHooks).get("deployer-service")).getEnvFrom())
                .extracting(e -> e.getSecretRef().getName())
                .containsExactly("my-sealing");
    }

    @Test
    void generatedSecretsAreInstallHooksSoUpgradesKeepThem() {
        List<HasMetadata> withoutHooks = render(Map.of());
        List<HasMetadata> withHooks = ChartFixture.objects(
                ChartFixture.templateWithHooks("windlass", TEST_KUBE_VERSION, List.of(), Map.of()));

        assertThat(ChartFixture.ofKind(withoutHooks, Secret.class))
                .extracting(s -> s.getMetadata().getName())
                .doesNotContain(
                        "windlass-gateway-session", "windlass-registry-encryption", "windlass-deployer-sealing");
        Map<String, Secret> generated = ChartFixture.ofKind(withHooks, Secret.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity()));
        assertThat(generated)
                .containsKeys("windlass-gateway-session", "windlass-registry-encryption", "windlass-deployer-sealing");
        assertThat(decode(generated.get("windlass-gateway-session").getData().get("state-secret")))
                .hasSize(48);
        assertThat(java.util.Base64.getDecoder()
                        .decode(decode(generated
                                .get("windlass-registry-encryption")
                                .getData()
                                .get("WINDLASS_REGISTRY_ENCRYPTION_KEYS_K1"))))
                .hasSize(32);
        Secret sealing = generated.get("windlass-deployer-sealing");
        assertThat(sealing.getData())
                .containsOnlyKeys("WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID", "WINDLASS_DEPLOYER_SECRETS_KEYS_K1");
        assertThat(decode(sealing.getData().get("WINDLASS_DEPLOYER_SECRETS_ACTIVE_KEY_ID")))
                .isEqualTo("k1");
        assertThat(java.util.Base64.getDecoder()
                        .decode(decode(sealing.getData().get("WINDLASS_DEPLOYER_SECRETS_KEYS_K1"))))
                .hasSize(32);
        assertThat(ChartFixture.chart().resolve("templates/generated-secrets.yaml"))
                .content()
                .as("pre-install hooks, kept by uninstall")
                .contains("helm.sh/hook: pre-install", "helm.sh/resource-policy: keep");
    }

    @Test
    void everyPodPassesPodSecurityRestricted() {
        for (Path values : List.of(ChartFixture.chart().resolve("values.yaml"), ChartFixture.prodValues())) {
            List<HasMetadata> objects = ChartFixture.objects(
                    ChartFixture.templateWithHooks("windlass", TEST_KUBE_VERSION, List.of(values), Map.of()));
            List<PodSpec> pods = new java.util.ArrayList<>();
            ChartFixture.ofKind(objects, Deployment.class)
                    .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
            ChartFixture.ofKind(objects, Pod.class).forEach(p -> pods.add(p.getSpec()));

            assertThat(pods).hasSize(4);
            pods.forEach(pod -> {
                assertThat(RestrictedPodSecurity.violations(pod))
                        .as(pod.getContainers().get(0).getName())
                        .isEmpty();
                assertThat(pod.getContainers())
                        .allSatisfy(c -> assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                                .isTrue());
            });
            ChartFixture.ofKind(objects, Deployment.class).forEach(d -> {
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                assertThat(pod.getVolumes())
                        .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
                Container c = pod.getContainers().get(0);
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
                assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).containsKey("memory");
            });
        }
    }

    @Test
    void onlyTheGatewayIsReachableThroughTheIngress() {
        List<Ingress> ingresses = ChartFixture.ofKind(render(Map.of()), Ingress.class);

        assertThat(ingresses).hasSize(1);
        Ingress ingress = ingresses.get(0);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
        assertThat(ingress.getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt-prod")
                .containsEntry("traefik.ingress.kubernetes.io/router.tls", "true");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("windlass.example.com");
            assertThat(tls.getSecretName()).isEqualTo("windlass-tls");
        });
        List<HTTPIngressPath> paths = ingress.getSpec().getRules().stream()
                .flatMap(r -> r.getHttp().getPaths().stream())
                .toList();
        assertThat(paths)
                .extracting(p -> p.getBackend().getService().getName())
                .containsOnly("windlass-identity-gateway");
        assertThat(paths).extracting(HTTPIngressPath::getPath).noneMatch(p -> p.contains("internal"));

        Ingress nginx = ChartFixture.ofKind(
                        render(Map.of("ingress.className", "nginx", "ingress.tls.clusterIssuer", "")), Ingress.class)
                .get(0);
        assertThat(nginx.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(nginx.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void autoscalingAndDisruptionBudgetsFollowTheClustersApiVersions() {
        Map<String, String> on = Map.of(
                "gateway.autoscaling.enabled", "true",
                "gateway.podDisruptionBudget.enabled", "true");
        Map<String, String> old = apiVersions(ChartFixture.template("windlass", "1.20.2", List.of(), on));
        Map<String, String> current = apiVersions(ChartFixture.template("windlass", "1.30.0", List.of(), on));

        assertThat(old)
                .containsEntry("HorizontalPodAutoscaler", "autoscaling/v2beta2")
                .containsEntry("PodDisruptionBudget", "policy/v1beta1");
        assertThat(current)
                .containsEntry("HorizontalPodAutoscaler", "autoscaling/v2")
                .containsEntry("PodDisruptionBudget", "policy/v1");
        Deployment gateway = deployments(
                        ChartFixture.objects(ChartFixture.template("windlass", "1.30.0", List.of(), on)))
                .get("identity-gateway");
        assertThat(gateway.getSpec().getReplicas())
                .as("the autoscaler owns the replica count")
                .isNull();
    }

    @Test
    void groupNamesAreMappedToRolesInAMountedPropertiesFile() {
        ConfigMap defaults = config(render(Map.of()));
        assertThat(defaults.getData().get("application.properties").lines().filter(ChartRenderTest::rolesMapping))
                .containsExactly(
                        "quarkus.http.auth.roles-mapping.\"windlass-admins\"=admin,deployer,viewer",
                        "quarkus.http.auth.roles-mapping.\"windlass-deployers\"=deployer,viewer",
                        "quarkus.http.auth.roles-mapping.\"windlass-services\"=service",
                        "quarkus.http.auth.roles-mapping.\"windlass-viewers\"=viewer");

        ConfigMap prod = config(render(Map.of(), ChartFixture.prodValues()));
        assertThat(prod.getData().get("application.properties").lines().filter(ChartRenderTest::rolesMapping))
                .containsExactly(
                        "quarkus.http.auth.roles-mapping.\"platform-admins\"=admin,deployer,viewer",
                        "quarkus.http.auth.roles-mapping.\"sre\"=deployer,viewer",
                        "quarkus.http.auth.roles-mapping.\"windlass-admins\"=unmapped",
                        "quarkus.http.auth.roles-mapping.\"windlass-deployers\"=deployer,viewer",
                        "quarkus.http.auth.roles-mapping.\"windlass-services\"=service",
                        "quarkus.http.auth.roles-mapping.\"windlass-viewers\"=viewer");
    }

    @Test
    void windlassesOwnHostsAreReservedFromAppsIngresses() {
        ConfigMap defaults = config(render(Map.of()));
        assertThat(defaults.getData().get("application.properties").lines())
                .contains("windlass.deployer.hosts.reserved=windlass.example.com,authentik.example.com");
        ConfigMap other = config(render(Map.of(
                "ingress.host", "deploy.acme.test", "oidc.issuerUrl", "https://sso.acme.test:8443/application/o/w/")));
        assertThat(other.getData().get("application.properties").lines())
                .contains("windlass.deployer.hosts.reserved=deploy.acme.test,sso.acme.test");
    }

    @Test
    void windlassesOwnNamespaceIsNeverADeployDestination() {
        assertThat(config(render(Map.of()))
                        .getData()
                        .get("application.properties")
                        .lines())
                .contains("windlass.deployer.own-namespace=windlass");
    }

    private static boolean rolesMapping(String line) {
        return line.startsWith("quarkus.http.auth.roles-mapping.");
    }

    @Test
    void helmTestPodAsksTheGatewayWhetherItIsReady() {
        assertThat(ChartFixture.ofKind(render(Map.of()), Pod.class)).isEmpty();

        List<Pod> pods = ChartFixture.ofKind(
                ChartFixture.objects(
                        ChartFixture.templateWithHooks("windlass", TEST_KUBE_VERSION, List.of(), Map.of())),
                Pod.class);
        assertThat(pods).singleElement().satisfies(pod -> {
            assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "helm-test");
            assertThat(pod.getSpec().getContainers().get(0).getArgs())
                    .contains("http://windlass-identity-gateway:8080/q/health/ready");
        });
        assertThat(ChartFixture.chart().resolve("templates/tests/gateway-ready.yaml"))
                .content()
                .contains("helm.sh/hook: test");
    }

    @Test
    void withSaslEachServiceSignsInToKafkaAsItsOwnUser() {
        List<HasMetadata> objects = render(Map.of(
                "kafka.sasl.enabled", "true",
                "kafka.sasl.registry.password", "registrypw",
                "kafka.sasl.deployer.existingSecret", "deployer-service",
                "kafka.sasl.deployer.existingSecretKey", "password"));
        Map<String, Deployment> deployments = deployments(objects);

        for (String service : List.of("registry-service", "deployer-service")) {
            Map<String, EnvVar> env = env(deployments.get(service));
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
            assertThat(env.get("KAFKA_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
            assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").getValue())
                    .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + service
                            + "\" password=\"$(WINDLASS_KAFKA_PASSWORD)\";");
            // Kubernetes expands $(VAR) only from variables defined before the reference.
            assertThat(List.copyOf(env.keySet()).indexOf("WINDLASS_KAFKA_PASSWORD"))
                    .isLessThan(List.copyOf(env.keySet()).indexOf("KAFKA_SASL_JAAS_CONFIG"));
        }
        assertThat(secretRef(env(deployments.get("registry-service")).get("WINDLASS_KAFKA_PASSWORD")))
                .isEqualTo("windlass-registry-service/kafka-password");
        assertThat(decode(secretNamed(objects, "windlass-registry-service")
                        .getData()
                        .get("kafka-password")))
                .isEqualTo("registrypw");
        assertThat(secretRef(env(deployments.get("deployer-service")).get("WINDLASS_KAFKA_PASSWORD")))
                .isEqualTo("deployer-service/password");
        assertThat(secretNamed(objects, "windlass-deployer-service").getData()).doesNotContainKey("kafka-password");
        assertThat(env(deployments.get("identity-gateway"))).doesNotContainKeys("KAFKA_BOOTSTRAP_SERVERS");

        Map<String, EnvVar> prodRegistry =
                env(deployments(render(Map.of(), ChartFixture.prodValues())).get("registry-service"));
        assertThat(secretRef(prodRegistry.get("WINDLASS_KAFKA_PASSWORD"))).isEqualTo("registry-service/password");
        assertThat(secretRef(prodRegistry.get("KAFKA_SSL_TRUSTSTORE_CERTIFICATES")))
                .isEqualTo("windlass-cluster-ca-cert/ca.crt");
    }

    private static Secret secretNamed(List<HasMetadata> objects, String name) {
        return ChartFixture.ofKind(objects, Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static ConfigMap config(List<HasMetadata> objects) {
        return ChartFixture.ofKind(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("windlass-config"))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, String> apiVersions(String manifest) {
        return ChartFixture.objects(manifest).stream()
                .collect(Collectors.toMap(HasMetadata::getKind, HasMetadata::getApiVersion, (a, b) -> a));
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }
}
