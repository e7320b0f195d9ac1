package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.NetworkPolicySpec;
import dev.windlass.events.spec.PortProtocol;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectRendererTest {

    private static final String NAMESPACE = "shop";

    private static final String OUTPOST = "http://ak-outpost-authentik-embedded-outpost.authentik:9000";
    private static final String APP = "web";
    private static final int REVISION = 7;

    private final ObjectRenderer renderer = ObjectRenderer.defaults();

    @Test
    void theTestSpecsAreValid() {
        assertThat(SpecValidator.validate(AppSpecs.full(APP))).isEmpty();
        assertThat(SpecValidator.validate(AppSpecs.withoutVolumeAndIngress(AppSpecs.full(APP))))
                .isEmpty();
    }

    @Test
    void aMinimalSpecIsOneDeploymentWithOneReplica() {
        RenderedApp rendered = renderer.render(NAMESPACE, AppSpecs.minimal(APP), 1);

        assertThat(rendered.objects()).extracting(HasMetadata::getKind).containsExactly("Deployment");
        Deployment deployment = (Deployment) rendered.objects().get(0);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        Container container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getName()).isEqualTo(APP);
        assertThat(container.getImage()).isEqualTo(AppSpecs.DEFAULT_IMAGE);
        assertThat(container.getPorts()).isNullOrEmpty();
        assertThat(container.getEnv()).isNullOrEmpty();
    }

    @Test
    void everyPodIsLockedDownByDefault() {
        Deployment deployment = (Deployment) renderer.render(NAMESPACE, AppSpecs.full(APP), 1).objects().stream()
                .filter(Deployment.class::isInstance)
                .findFirst()
                .orElseThrow();
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0).getSecurityContext();

        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isNull();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(container.getReadOnlyRootFilesystem()).isNull();
        assertThat(container.getPrivileged()).isNull();
    }

    @Test
    void aRestrictedSpecRunsAsNonRootOnAReadOnlyRootWithATmpAndGetsWhatItAsksFor() {
        AppSpec base = AppSpecs.minimal(APP);
        AppSpec restricted = new AppSpec(
                base.name(),
                base.image(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new dev.windlass.events.spec.SecuritySpec(true, true, List.of("NET_BIND_SERVICE")));
        assertThat(SpecValidator.validate(restricted)).isEmpty();

        Deployment deployment =
                (Deployment) renderer.render(NAMESPACE, restricted, 1).objects().get(0);
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);

        assertThat(pod.getAutomountServiceAccountToken()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_BIND_SERVICE");
        assertThat(container.getVolumeMounts())
                .singleElement()
                .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes())
                .singleElement()
                .satisfies(volume -> assertThat(volume.getEmptyDir()).isNotNull());
    }

    @Test
    void aFullSpecRendersEveryKindInApplyOrder() {
        RenderedApp rendered =
                renderer.render(NAMESPACE, AppSpecs.protectedByAuthentik(AppSpecs.full(APP)), REVISION, OUTPOST);

        assertThat(rendered.objects())
                .extracting(HasMetadata::getKind, o -> o.getMetadata().getName())
                .containsExactly(
                        tuple("Secret", "web-env"),
                        tuple("PersistentVolumeClaim", "web-data"),
                        tuple("NetworkPolicy", "web"),
                        tuple("Service", "web"),
                        tuple("Service", "web-lb"),
                        tuple("Service", "web-np"),
                        tuple("Deployment", "web"),
                        tuple("Middleware", "web-authentik"),
                        tuple("Ingress", "web"));
        assertThat(rendered.objects())
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
        assertThat(rendered.hasLoadBalancer()).isTrue();
    }

    @Test
    void everyObjectCarriesNameManagedByAndRevision() {
        RenderedApp rendered = renderer.render(NAMESPACE, AppSpecs.full(APP), REVISION);

        assertThat(rendered.objects())
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/name", APP)
                        .containsEntry("app.kubernetes.io/managed-by", "windlass")
                        .containsEntry("windlass.dev/revision", "7"));
    }

    @Test
    void theSpecsLabelsAndAnnotationsGoOnTheDeploymentAndItsPods() {
        Deployment deployment = deployment(AppSpecs.full(APP));

        assertThat(deployment.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(deployment.getMetadata().getAnnotations())
                .containsEntry("windlass.example/owner", "payments@example.com");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("team", "payments")
                .containsEntry("windlass.dev/revision", "7");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("windlass.example/owner", "payments@example.com");
    }

    @Test
    void theSelectorIsStableAcrossRevisionsWhileThePodTemplateChanges() {
        Deployment first = (Deployment)
                renderer.render(NAMESPACE, AppSpecs.minimal(APP), 1).objects().get(0);
        Deployment second = (Deployment)
                renderer.render(NAMESPACE, AppSpecs.minimal(APP), 2).objects().get(0);

        assertThat(first.getSpec().getSelector().getMatchLabels())
                .isEqualTo(second.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/managed-by", "windlass"));
        assertThat(first.getSpec().getTemplate()).isNotEqualTo(second.getSpec().getTemplate());
    }

    @Test
    void theContainerHasCommandArgsPortsResourcesAndProbes() {
        Container container = deployment(AppSpecs.full(APP))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);

        assertThat(container.getCommand()).containsExactly("/app/server");
        assertThat(container.getArgs()).containsExactly("--port", "8080");
        assertThat(container.getPorts())
                .extracting(p -> p.getName(), p -> p.getContainerPort(), p -> p.getProtocol())
                .containsExactly(
                        tuple("http", 8080, "TCP"),
                        tuple("metrics", 9090, "TCP"),
                        tuple("dns", 5353, "UDP"),
                        tuple("admin", 8443, "TCP"));
        assertThat(container.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("128Mi"));
        assertThat(container.getResources().getLimits())
                .containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("256Mi"));
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getIntVal())
                .isEqualTo(8080);
        assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntVal())
                .isEqualTo(8080);
        assertThat(container.getReadinessProbe().getPeriodSeconds()).isEqualTo(10);
    }

    @Test
    void aZeroInitialDelayIsLeftToTheServerDefaultSoThatReapplyingChangesNothing() {
        Container container = deployment(AppSpecs.full(APP))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);

        assertThat(container.getLivenessProbe().getInitialDelaySeconds()).isNull();
    }

    @Test
    void secretEnvIsReferencedFromTheAppSecretAndNeverInline() {
        AppSpec spec = AppSpecs.full(APP);
        Deployment deployment = deployment(spec);
        List<EnvVar> env = deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();

        assertThat(env)
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(tuple("LOG_LEVEL", "info"), tuple("DB_PASSWORD", null));
        EnvVar secret = env.get(1);
        assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("web-env");
        assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DB_PASSWORD");
        assertThat(Serialization.asJson(deployment)).doesNotContain(AppSpecs.SECRET_VALUE);
    }

    @Test
    void theSecretHoldsTheSecretValuesBase64Encoded() {
        Secret secret = (Secret) renderer.render(NAMESPACE, AppSpecs.full(APP), REVISION)
                .objects()
                .get(0);

        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getStringData()).isNullOrEmpty();
        assertThat(secret.getData())
                .containsExactly(Map.entry(
                        "DB_PASSWORD",
                        Base64.getEncoder().encodeToString(AppSpecs.SECRET_VALUE.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void noSecretWithoutSecretEnv() {
        assertThat(renderer.render(NAMESPACE, AppSpecs.minimal(APP), 1).objects())
                .noneMatch(Secret.class::isInstance);
    }

    @Test
    void clusterAndIngressPortsShareTheAppServiceOthersGetTheirOwn() {
        List<Service> services = objects(AppSpecs.full(APP), Service.class);

        assertThat(services)
                .extracting(s -> s.getMetadata().getName(), s -> s.getSpec().getType())
                .containsExactly(
                        tuple("web", "ClusterIP"), tuple("web-lb", "LoadBalancer"), tuple("web-np", "NodePort"));
        assertThat(services.get(0).getSpec().getPorts())
                .extracting(
                        ServicePort::getName,
                        ServicePort::getPort,
                        p -> p.getTargetPort().getIntVal())
                .containsExactly(tuple("http", 8080, 8080), tuple("metrics", 9090, 9090));
        assertThat(services.get(1).getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getProtocol)
                .containsExactly(tuple("dns", "UDP"));
        assertThat(services.get(2).getSpec().getPorts())
                .extracting(ServicePort::getName)
                .containsExactly("admin");
        assertThat(services)
                .allSatisfy(s -> assertThat(s.getSpec().getSelector())
                        .isEqualTo(Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/managed-by", "windlass")));
    }

    @Test
    void aFixedNodePortIsKept() {
        AppSpec spec =
                AppSpecs.withPorts(APP, new PortSpec("admin", 8443, PortProtocol.TCP, Exposure.NODE_PORT, 30443));

        List<Service> services = objects(spec, Service.class);

        assertThat(services).extracting(s -> s.getMetadata().getName()).containsExactly("web-np");
        assertThat(services.get(0).getSpec().getPorts().get(0).getNodePort()).isEqualTo(30443);
    }

    @Test
    void noServiceWithoutPorts() {
        assertThat(objects(AppSpecs.minimal(APP), Service.class)).isEmpty();
    }

    @Test
    void theIngressRoutesTheHostToTheIngressPortWithTlsAndForwardAuth() {
        Ingress ingress = objects(AppSpecs.protectedByAuthentik(AppSpecs.full(APP)), Ingress.class)
                .get(0);

        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo(AppSpecs.HOST);
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/");
                assertThat(path.getPathType()).isEqualTo("Prefix");
                assertThat(path.getBackend().getService().getName()).isEqualTo(APP);
                assertThat(path.getBackend().getService().getPort().getNumber()).isEqualTo(8080);
            });
        });
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly(AppSpecs.HOST);
            assertThat(tls.getSecretName()).isEqualTo("web-tls");
        });
        assertThat(ingress.getMetadata().getAnnotations())
                .containsExactly(
                        Map.entry("cert-manager.io/cluster-issuer", "letsencrypt"),
                        Map.entry(
                                "traefik.ingress.kubernetes.io/router.middlewares",
                                "shop-web-authentik@kubernetescrd"));
    }

    @Test
    void aPlainIngressHasNoTlsAndNoAnnotations() {
        AppSpec full = AppSpecs.full(APP);
        AppSpec plain = new AppSpec(
                APP,
                AppSpecs.DEFAULT_IMAGE,
                null,
                null,
                null,
                null,
                null,
                List.of(new PortSpec("http", 8080, PortProtocol.TCP, Exposure.INGRESS, null)),
                dev.windlass.events.spec.IngressSpec.host(AppSpecs.HOST),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(SpecValidator.validate(plain)).isEmpty();
        assertThat(full.ingress()).isNotNull();

        Ingress ingress = objects(plain, Ingress.class).get(0);

        assertThat(ingress.getSpec().getTls()).isNullOrEmpty();
        assertThat(ingress.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(ingress.getSpec().getIngressClassName()).isNull();
    }

    @Test
    void objectsRenderedBeforeTheClusterIsKnownGetOnlyTheMiddlewareRenderedForIt() {
        AppSpec guarded = AppSpecs.protectedByAuthentik(AppSpecs.full(APP));
        RenderedApp early = renderer.render(NAMESPACE, guarded, REVISION);

        RenderedApp onCluster = renderer.onCluster(early, OUTPOST);

        assertThat(Serialization.asJson(onCluster.objects()))
                .isEqualTo(Serialization.asJson(
                        renderer.render(NAMESPACE, guarded, REVISION, OUTPOST).objects()));
        for (int i = 0; i < early.objects().size(); i++) {
            if (early.objects().get(i) instanceof TraefikMiddleware) {
                assertThat(onCluster.objects().get(i))
                        .isNotSameAs(early.objects().get(i));
            } else {
                assertThat(onCluster.objects().get(i)).isSameAs(early.objects().get(i));
            }
        }
        RenderedApp unguarded = renderer.render(NAMESPACE, AppSpecs.full(APP), REVISION);
        assertThat(renderer.onCluster(unguarded, OUTPOST)).isSameAs(unguarded);
        assertThat(renderer.onCluster(early, null)).isSameAs(early);
        assertThat(early.isOf(NAMESPACE, APP, REVISION)).isTrue();
        assertThat(early.isOf(NAMESPACE, APP, REVISION + 1)).isFalse();
    }

    @Test
    void forwardAuthIsTheAppsOwnMiddlewareAskingTheClustersOutpostAsAuthentikDocumentsIt() {
        TraefikMiddleware middleware =
                (TraefikMiddleware) renderer
                        .render(NAMESPACE, AppSpecs.protectedByAuthentik(AppSpecs.full(APP)), REVISION, OUTPOST)
                        .objects()
                        .stream()
                        .filter(TraefikMiddleware.class::isInstance)
                        .findFirst()
                        .orElseThrow();

        assertThat(middleware.getApiVersion()).isEqualTo("traefik.io/v1alpha1");
        assertThat(middleware.getMetadata().getName()).isEqualTo("web-authentik");
        assertThat(middleware.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(middleware.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", APP)
                .containsEntry("app.kubernetes.io/managed-by", "windlass")
                .containsEntry("windlass.dev/revision", Integer.toString(REVISION));
        assertThat(middleware.getSpec()).containsOnlyKeys("forwardAuth");
        @SuppressWarnings("unchecked")
        Map<String, Object> forwardAuth =
                (Map<String, Object>) middleware.getSpec().get("forwardAuth");
        assertThat(forwardAuth)
                .containsEntry("address", OUTPOST + "/outpost.goauthentik.io/auth/traefik")
                .containsEntry("trustForwardHeader", true);
        assertThat(forwardAuth.get("authResponseHeaders"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("X-authentik-username", "X-authentik-groups", "X-authentik-email", "X-authentik-jwt")
                .hasSize(12);
        assertThat(objects(AppSpecs.full(APP), TraefikMiddleware.class)).isEmpty();
        assertThat(objects(AppSpecs.full(APP), Ingress.class)
                        .get(0)
                        .getMetadata()
                        .getAnnotations())
                .doesNotContainKey("traefik.ingress.kubernetes.io/router.middlewares");
    }

    @Test
    void theNetworkPolicyAdmitsPeersOnEveryPortTheIngressControllerOnTheIngressPortAndAnyoneOnExternalPorts() {
        NetworkPolicy policy = objects(AppSpecs.full(APP), NetworkPolicy.class).get(0);

        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/managed-by", "windlass"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).getFrom())
                .extracting(peer -> peer.getPodSelector().getMatchLabels())
                .containsExactly(
                        Map.of("app.kubernetes.io/name", "frontend"), Map.of("app.kubernetes.io/name", "worker"));
        assertThat(rules.get(0).getPorts())
                .extracting(p -> p.getPort().getIntVal(), p -> p.getProtocol())
                .containsExactly(tuple(8080, "TCP"), tuple(9090, "TCP"), tuple(5353, "UDP"), tuple(8443, "TCP"));
        assertThat(rules.get(1).getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system")));
        assertThat(rules.get(1).getPorts())
                .extracting(p -> p.getPort().getIntVal())
                .containsExactly(8080);
        assertThat(rules.get(2).getFrom()).isNullOrEmpty();
        assertThat(rules.get(2).getPorts())
                .extracting(p -> p.getPort().getIntVal())
                .containsExactly(5353, 8443);
    }

    @Test
    void anEmptyPeerListAdmitsNoOtherApp() {
        AppSpec spec = new AppSpec(
                APP,
                AppSpecs.DEFAULT_IMAGE,
                null,
                null,
                null,
                null,
                null,
                List.of(PortSpec.cluster("http", 8080)),
                null,
                null,
                null,
                null,
                new NetworkPolicySpec(List.of()),
                null,
                null);

        NetworkPolicy policy = objects(spec, NetworkPolicy.class).get(0);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    }

    @Test
    void noNetworkPolicyWithoutOne() {
        assertThat(objects(AppSpecs.minimal(APP), NetworkPolicy.class)).isEmpty();
    }

    @Test
    void volumesBecomeReadWriteOnceClaimsMountedIntoTheContainer() {
        AppSpec spec = AppSpecs.full(APP);
        PersistentVolumeClaim claim = objects(spec, PersistentVolumeClaim.class).get(0);
        Deployment deployment = deployment(spec);

        assertThat(claim.getMetadata().getName()).isEqualTo("web-data");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-path");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .singleElement()
                .satisfies(volume -> {
                    assertThat(volume.getName()).isEqualTo("data");
                    assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("web-data");
                });
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getVolumeMounts())
                .singleElement()
                .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/var/lib/web"));
    }

    @Test
    void withVolumesTheOldPodGoesBeforeTheNewOneStarts() {
        Deployment withVolume = deployment(AppSpecs.full(APP));
        Deployment without = deployment(AppSpecs.minimal(APP));

        assertThat(withVolume.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(withVolume
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxSurge()
                        .getIntVal())
                .isZero();
        assertThat(withVolume
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(without.getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxSurge()
                        .getStrVal())
                .isEqualTo("25%");
    }

    private Deployment deployment(AppSpec spec) {
        return objects(spec, Deployment.class).get(0);
    }

    private <T> List<T> objects(AppSpec spec, Class<T> type) {
        return objects(renderer, spec, type);
    }

    private static <T> List<T> objects(ObjectRenderer renderer, AppSpec spec, Class<T> type) {
        return renderer.render(NAMESPACE, spec, REVISION).objects().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
