package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.service.AppStatusService.AppStatus;
import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.Kubelet;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.deployer.testing.TestSpecs;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.EventJson;
import dev.windlass.events.EventKeys;
import dev.windlass.events.EventType;
import dev.windlass.events.app.AppHealthChanged;
import dev.windlass.events.app.HealthStatus;
import dev.windlass.events.validation.EventValidator;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Health events on a real cluster and broker: a deployed app's health is published when it changes, after its rollout
 * too (Healthy, then Degraded when a Pod crash-loops, then Healthy again), once per change, valid, keyed by the app and
 * without its secret values; an undeployed app is no longer followed. Replicas that assess the same change publish it
 * once.
 */
@QuarkusTest
@TestProfile(HealthEventsTest.FollowingHealth.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class HealthEventsTest {

    /** The deployer's test profile with health events on, refreshed every second. */
    public static class FollowingHealth extends DeployerTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("windlass.deployer.app-health.enabled", "true");
            overrides.put("windlass.deployer.app-health.refresh", "PT1S");
            overrides.put("windlass.deployer.app-health.settle", "PT0.2S");
            return overrides;
        }
    }

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    HealthWatch watch;

    @Inject
    HealthRecorder recorder;

    @Inject
    ContextRunner runner;

    @Test
    void aDeployedAppsHealthChangesArePublishedOnceEachAfterItsRolloutToo() {
        String app = uniqueApp("health");
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(app));
        Api.awaitRolledOut(id, NS, app);
        String key =
                EventKeys.deployment(RegistryStandIn.id(RegistryStandIn.LOCAL).toString(), NS, app);

        await().atMost(WAIT).untilAsserted(() -> assertThat(last(app)).isEqualTo(HealthStatus.Healthy));

        // long after its rollout, a Pod of the app starts crash-looping, its message quoting a secret value
        String pod = Kubelet.crashLoopingPod(NS, app, "back-off 40s, it said " + TestSpecs.SECRET_VALUE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(last(app)).isEqualTo(HealthStatus.Degraded));
        AppHealthChanged degraded = events(app).get(events(app).size() - 1).event();
        assertThat(degraded.previousHealth()).isEqualTo(HealthStatus.Healthy);
        assertThat(degraded.message())
                .contains("Pod " + pod)
                .contains("CrashLoopBackOff")
                .contains("it said ****");
        assertThat(degraded.revision()).isEqualTo(1);
        assertThat(degraded.orchestrator()).isEqualTo(RegistryStandIn.LOCAL);
        assertThat(degraded.orchestratorId()).isEqualTo(RegistryStandIn.id(RegistryStandIn.LOCAL));

        // and is gone again
        DevStack.kube().adminClient().pods().inNamespace(NS).withName(pod).delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(last(app)).isEqualTo(HealthStatus.Healthy));

        List<Published> published = events(app);
        for (int i = 0; i < published.size(); i++) {
            Published one = published.get(i);
            assertThat(one.record().topic()).isEqualTo(EventType.APP_HEALTH_CHANGED.topic());
            assertThat(new String(one.record().key(), StandardCharsets.UTF_8)).isEqualTo(key);
            assertThat(TestKafka.header(one.record(), CloudEventHeaders.TYPE))
                    .isEqualTo(EventType.APP_HEALTH_CHANGED.name());
            assertThat(EventValidator.validate(
                                    EventType.APP_HEALTH_CHANGED, one.record().value(), TestKafka.headers(one.record()))
                            .violations())
                    .isEmpty();
            assertThat(new String(one.record().value(), StandardCharsets.UTF_8)).doesNotContain(TestSpecs.SECRET_VALUE);
            if (i > 0) {
                // each event is a change: never the same health twice in a row, and it names the one before
                assertThat(one.event().health())
                        .isNotEqualTo(published.get(i - 1).event().health());
                assertThat(one.event().previousHealth())
                        .isEqualTo(published.get(i - 1).event().health());
            }
        }
        assertThat(published.get(0).event().previousHealth()).isNull();
        assertThat(published.stream().map(p -> p.event().health()))
                .containsSubsequence(HealthStatus.Healthy, HealthStatus.Degraded, HealthStatus.Healthy);

        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("(?m)^windlass_app_health_changes_total [1-9]")
                .containsPattern("(?m)^windlass_app_health_followed [1-9]");

        // undeployed: no longer followed, its recorded health forgotten
        Api.awaitPhase(Api.undeploy(RegistryStandIn.LOCAL, NS, app), "DELETED");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(watch.following()).doesNotContain(key);
            assertThat(run(recorder::recorded)).doesNotContain(key);
        });
    }

    @Test
    void replicasThatAssessTheSameChangePublishItOnce() {
        String app = uniqueApp("twice");
        AppRef ref = new AppRef(UUID.randomUUID(), "edge", NS, app);
        AppStatus degraded = status(app, HealthStatus.Degraded, "Pod " + app + "-x: app: CrashLoopBackOff");
        // this made-up app is not deployed, so the watch's refresh forgets its row, but only a row recorded before
        // the refresh started: recorded a minute ahead, it stays for the test
        Instant at = Instant.now().plus(Duration.ofMinutes(1));

        // two replicas record the same assessment at the same moment: one of them publishes
        List<Uni<Boolean>> both = List.of(
                runner.onNewContext(() -> recorder.record(ref, degraded, at)),
                runner.onNewContext(() -> recorder.record(ref, degraded, at)));
        List<Boolean> published = Uni.join().all(both).andFailFast().await().atMost(WAIT);
        assertThat(published).containsExactlyInAnyOrder(true, false);
        assertThat(run(() -> recorder.record(ref, degraded, at))).isFalse();

        AppStatus healthy = status(app, HealthStatus.Healthy, null);
        assertThat(run(() -> recorder.record(ref, healthy, at))).isTrue();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events(app))
                        .extracting(p -> p.event().health(), p -> p.event().previousHealth())
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(HealthStatus.Degraded, null),
                                org.assertj.core.groups.Tuple.tuple(HealthStatus.Healthy, HealthStatus.Degraded)));

        // an app that is not deployed is forgotten: a later deploy of it starts with no previous health
        assertThat(run(() -> recorder.forgetAllBut(java.util.Set.of(), at.plusSeconds(1))))
                .isGreaterThanOrEqualTo(1);
        assertThat(run(recorder::recorded)).doesNotContain(ref.key());
    }

    private static AppStatus status(String app, HealthStatus health, String message) {
        return new AppStatus("edge", NS, app, 1, health, message, List.of(), null);
    }

    private <T> T run(java.util.function.Supplier<Uni<T>> work) {
        return runner.onNewContext(work).await().atMost(WAIT);
    }

    private record Published(ConsumerRecord<byte[], byte[]> record, AppHealthChanged event) {}

    /** The health events of the app, in the order they were published. */
    private static List<Published> events(String app) {
        List<Published> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : TestKafka.readAll(EventType.APP_HEALTH_CHANGED.topic())) {
            try {
                AppHealthChanged event = EventJson.mapper().readValue(record.value(), AppHealthChanged.class);
                if (app.equals(event.app())) {
                    events.add(new Published(record, event));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    private static HealthStatus last(String app) {
        List<Published> events = events(app);
        return events.isEmpty() ? null : events.get(events.size() - 1).event().health();
    }
}
