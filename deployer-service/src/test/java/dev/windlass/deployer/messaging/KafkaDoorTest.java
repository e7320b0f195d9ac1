package dev.windlass.deployer.messaging;

import static dev.windlass.deployer.testing.TestSpecs.SECRET_NAME;
import static dev.windlass.deployer.testing.TestSpecs.SECRET_VALUE;
import static dev.windlass.deployer.testing.TestSpecs.spec;
import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.testing.Api;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.RegistryStandIn;
import dev.windlass.deployer.testing.Requests;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.deployer.trust.RequestDigest;
import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.DevStack;
import dev.windlass.devstack.ForgedTokens;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.Actor;
import dev.windlass.events.EventEnvelope;
import dev.windlass.events.EventType;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.Topics;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.validation.Violation;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kafka door as an attacker who can write to the requests topic sees it: every record must prove who asked with
 * an access token, with the HTTP API's rules; a spec cannot be swapped under a known deployment id; secret values
 * never sit on a topic in the clear. Each refusal is a dead letter with its rule, and nothing is applied.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class KafkaDoorTest {

    private static final String NS = RegistryStandIn.LOCAL_NAMESPACE;

    @jakarta.inject.Inject
    dev.windlass.deployer.trust.RecordTokens recordTokens;

    private static final Actor FORGED = new Actor("someone-else", "admin");

    @Test
    void refusesARecordWithoutAToken() {
        UUID id = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> event = Requests.sealed(request(id, uniqueApp("unsigned")));
        TestKafka.produce(event.topic(), TestKafka.utf8(event.key()), event.payload(), event.headers());
        assertRefused(event.id(), id, RequestTrust.AUTHORIZATION_HEADER, RequestTrust.UNAUTHENTICATED);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ForgedTokens.Kind.class)
    void refusesARecordSignedWithAForgedOrWrongToken(ForgedTokens.Kind kind) {
        String token = kind.forge(ForgedTokens.of(DevStack.oidc(), DevUser.DEPLOYER));
        UUID id = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> event = request(id, uniqueApp("forged"));
        Requests.produce(event, token);
        assertRefused(event.id(), id, RequestTrust.AUTHORIZATION_HEADER, RequestTrust.UNAUTHENTICATED);
        // the dead letter keeps no token
        assertThat(deadLetter(event.id()).orElseThrow().headers().lastHeader(RequestTrust.AUTHORIZATION_HEADER))
                .isNull();
    }

    @Test
    void refusesATokenReplayedInANewRecordAfterItExpired() throws InterruptedException {
        ForgedTokens tokens = ForgedTokens.of(DevStack.oidc(), DevUser.DEPLOYER);
        String shortLived = tokens.signed(Map.of(), Duration.ofSeconds(4));
        UUID first = UUID.randomUUID();
        Requests.produce(request(first, uniqueApp("intime")), shortLived);
        Api.awaitPhase(first, "PROGRESSING");

        Thread.sleep(5_000);
        UUID replayed = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> later = request(replayed, uniqueApp("replayed"));
        Requests.produce(later, shortLived);
        assertRefused(later.id(), replayed, RequestTrust.AUTHORIZATION_HEADER, RequestTrust.UNAUTHENTICATED);
    }

    @Test
    void aTokenCountsIfItWasValidWhenTheBrokerAppendedTheRecord() throws InterruptedException {
        // a request held through an outage: appended while its token was valid, read after the token expired
        Instant appended = Instant.now();
        String token = ForgedTokens.of(DevStack.oidc(), DevUser.DEPLOYER).signed(Map.of(), Duration.ofSeconds(2));
        Thread.sleep(3_000);
        assertThat(recordTokens
                        .verify(token, appended)
                        .await()
                        .atMost(Duration.ofSeconds(30))
                        .caller()
                        .subject())
                .isEqualTo(AuthentikIssuer.subjectOf("deployer"));
        // the same token on a record appended now
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> recordTokens.verify(token, Instant.now()).await().atMost(Duration.ofSeconds(30)))
                .isInstanceOf(dev.windlass.deployer.trust.RefusedTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void refusesARecordSignedByAViewer() {
        UUID id = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> event = request(id, uniqueApp("viewer"));
        Requests.produce(event, DevStack.oidc().accessToken(DevUser.VIEWER));
        assertRefused(event.id(), id, RequestTrust.AUTHORIZATION_HEADER, RequestTrust.FORBIDDEN);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeploymentAction.class)
    void refusesEveryActionOnAnOrchestratorTheSignersGroupsMayNotUse(DeploymentAction action) {
        UUID id = UUID.randomUUID();
        String app = uniqueApp("team");
        String team = RegistryStandIn.TEAM_ONLY;
        DeploymentRequested request = switch (action) {
            case APPLY -> DeploymentRequested.apply(id, team, NS, spec(app), FORGED, Instant.now());
            case ROLLBACK -> DeploymentRequested.rollback(id, team, NS, app, 1, FORGED, Instant.now());
            case DELETE -> DeploymentRequested.delete(id, team, NS, app, FORGED, Instant.now());
            case UPDATE_IMAGE ->
                DeploymentRequested.updateImage(id, team, NS, app, "nginx:1.28", FORGED, Instant.now());
        };
        var event = EventEnvelope.create(EventType.DEPLOYMENT_REQUESTED, "/ci/attacker", request);
        Requests.produce(event, Requests.deployerToken());
        assertRefused(event.id(), id, "orchestrator", RequestTrust.FORBIDDEN);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeploymentAction.class)
    void refusesEveryActionInANamespaceThatIsNotADestinationOfTheSignersGroups(DeploymentAction action) {
        UUID id = UUID.randomUUID();
        String app = uniqueApp("dest");
        String shared = RegistryStandIn.SHARED;
        String ns = "team-x-web";
        DeploymentRequested request = switch (action) {
            case APPLY -> DeploymentRequested.apply(id, shared, ns, spec(app), FORGED, Instant.now());
            case ROLLBACK -> DeploymentRequested.rollback(id, shared, ns, app, 1, FORGED, Instant.now());
            case DELETE -> DeploymentRequested.delete(id, shared, ns, app, FORGED, Instant.now());
            case UPDATE_IMAGE ->
                DeploymentRequested.updateImage(id, shared, ns, app, "nginx:1.28", FORGED, Instant.now());
        };
        var event = EventEnvelope.create(EventType.DEPLOYMENT_REQUESTED, "/ci/other-team", request);
        String teamY = dev.windlass.devstack.DevStack.oidc()
                .accessToken("team-y-ci", List.of("windlass-deployers", RegistryStandIn.OTHER_TEAM_GROUP));
        Requests.produce(event, teamY);
        assertRefused(event.id(), id, "namespace", RequestTrust.FORBIDDEN);
    }

    @Test
    void takesTheRequesterFromTheTokenNotFromThePayload() {
        UUID id = UUID.randomUUID();
        Requests.produce(request(id, uniqueApp("actor")), Requests.deployerToken());
        Api.awaitPhase(id, "PROGRESSING");
        assertThat(TestDb.column("select requested_by_subject from deployments where id = ?", id))
                .containsExactly(AuthentikIssuer.subjectOf("deployer"));
    }

    @Test
    void aSpecCannotBeSwappedUnderAKnownDeploymentId() {
        // the API stored a PENDING deployment and its request; another record names the same id first
        String app = uniqueApp("swap");
        UUID id = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> real = Requests.sealed(request(id, app));
        String subject = AuthentikIssuer.subjectOf("deployer");
        TestDb.update(
                "insert into deployments (id, orchestrator, namespace, app, action, phase, message,"
                        + " requested_by_subject, requested_by_username, requested_at, updated_at, request_digest)"
                        + " values (?, ?, ?, ?, 'APPLY', 'PENDING', 'waiting to be accepted', ?, 'deployer', now(),"
                        + " now(), ?)",
                id,
                RegistryStandIn.LOCAL,
                NS,
                app,
                subject,
                RequestDigest.of(real.data()));

        var swapped = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/attacker",
                DeploymentRequested.apply(
                        id,
                        RegistryStandIn.LOCAL,
                        NS,
                        spec(app, "registry.example.com/attacker/app:1"),
                        FORGED,
                        Instant.now()));
        // signed by a deployer, or unsigned like the API's own records: neither is taken for the stored request
        Requests.produce(swapped, Requests.deployerToken());
        var unsigned =
                Requests.sealed(EventEnvelope.create(EventType.DEPLOYMENT_REQUESTED, "/ci/attacker", swapped.data()));
        TestKafka.produce(unsigned.topic(), TestKafka.utf8(unsigned.key()), unsigned.payload(), unsigned.headers());
        await().untilAsserted(() -> {
            assertThat(reason(swapped.id())).extracting(Violation::rule).containsExactly("deployment-conflict");
            assertThat(reason(unsigned.id())).extracting(Violation::rule).containsExactly(RequestTrust.UNAUTHENTICATED);
        });
        assertThat(TestDb.phases(id)).isEmpty();

        // the API's own record, with no token, is still taken: it is the stored request
        TestKafka.produce(real.topic(), TestKafka.utf8(real.key()), real.payload(), real.headers());
        Api.awaitPhase(id, "PROGRESSING");
        Api.get(id)
                .then()
                .body(
                        "spec.image",
                        org.hamcrest.Matchers.equalTo(dev.windlass.deployer.testing.TestSpecs.DEFAULT_IMAGE));
    }

    @Test
    void refusesASecretValueInTheClearAndKeepsItOutOfTheDeadLetter() {
        UUID id = UUID.randomUUID();
        EventEnvelope<DeploymentRequested> plain = request(id, uniqueApp("plain"));
        TestKafka.produce(
                plain.topic(),
                TestKafka.utf8(plain.key()),
                plain.payload(),
                Requests.signed(plain.headers(), Requests.deployerToken()));
        assertRefused(plain.id(), id, "spec.secretEnv." + SECRET_NAME, RequestTrust.PLAINTEXT_SECRET);
        byte[] value = deadLetter(plain.id()).orElseThrow().value();
        assertThat(new String(value, StandardCharsets.UTF_8))
                .doesNotContain(SECRET_VALUE)
                .contains(RequestTrust.REDACTED);
    }

    @Test
    void theApiSealsSecretValuesBeforeTheyReachTheTopic() {
        UUID id = Api.deploy(RegistryStandIn.LOCAL, NS, spec(uniqueApp("sealed")));
        Api.awaitPhase(id, "PROGRESSING");
        ConsumerRecord<byte[], byte[]> record = TestKafka.readAll(Topics.DEPLOY_REQUESTS).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(id.toString()))
                .findFirst()
                .orElseThrow();
        String value = new String(record.value(), StandardCharsets.UTF_8);
        assertThat(value).doesNotContain(SECRET_VALUE);
        DeploymentRequested published = dev.windlass.events.EventJson.mapper()
                .convertValue(readTree(record.value()), DeploymentRequested.class);
        assertThat(RequestTrust.looksSealed(published.spec().secretEnv().get(SECRET_NAME)))
                .isTrue();
        assertThat(record.headers().lastHeader(RequestTrust.AUTHORIZATION_HEADER))
                .isNull();
    }

    @Test
    void aValueSealedByTheDocumentedScriptIsOpened() throws Exception {
        String sealed = dev.windlass.deployer.testing.SealSecretScript.seal(
                io.restassured.RestAssured.get("/api/sealing-keys").asString(), SECRET_VALUE);
        assertThat(RequestTrust.looksSealed(sealed)).isTrue();

        UUID id = UUID.randomUUID();
        var spec = spec(uniqueApp("script")).withSecretEnv(Map.of(SECRET_NAME, sealed));
        var event = EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/pipeline",
                DeploymentRequested.apply(id, RegistryStandIn.LOCAL, NS, spec, FORGED, Instant.now()));
        Requests.produce(event, Requests.deployerToken());
        Api.awaitPhase(id, "PROGRESSING");
        // what the cluster got is the value itself
        assertThat(appliedSecret(spec.name())).isEqualTo(SECRET_VALUE);
    }

    @Test
    void aValueSealedBeforeAKeyRotationStillOpensAndOnlyAnAdminRotates() {
        String before = activeKeyId();
        UUID id = UUID.randomUUID();
        var spec = spec(uniqueApp("rotated"));
        // a pipeline sealed its value to the key published before the rotation
        EventEnvelope<DeploymentRequested> sealedBefore = Requests.sealed(EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/pipeline",
                DeploymentRequested.apply(id, RegistryStandIn.LOCAL, NS, spec, FORGED, Instant.now())));

        Api.as(DevUser.VIEWER).post("/api/sealing-keys/rotation").then().statusCode(403);
        String rotated = Api.as(DevUser.ADMIN)
                .post("/api/sealing-keys/rotation")
                .then()
                .statusCode(201)
                .extract()
                .path("keyId");
        assertThat(rotated).isNotEqualTo(before);
        assertThat(activeKeyId()).as("the new key is the one published").isEqualTo(rotated);

        Requests.produce(sealedBefore, Requests.deployerToken());
        Api.awaitPhase(id, "PROGRESSING");
        assertThat(appliedSecret(spec.name())).isEqualTo(SECRET_VALUE);
    }

    private static String activeKeyId() {
        return io.restassured.RestAssured.given()
                .get("/api/sealing-keys")
                .then()
                .statusCode(200)
                .extract()
                .path("keys[0].kid");
    }

    /** The value the cluster holds for the app's secret env {@code SECRET_NAME}. */
    private static String appliedSecret(String app) {
        // the dev stack's shared admin client: not closed here
        String applied = DevStack.kube()
                .adminClient()
                .secrets()
                .inNamespace(NS)
                .withName(dev.windlass.deployer.kubernetes.ObjectNames.secret(app))
                .get()
                .getData()
                .get(SECRET_NAME);
        return new String(java.util.Base64.getDecoder().decode(applied), StandardCharsets.UTF_8);
    }

    @Test
    void publishesOneX25519SealingKey() {
        io.restassured.RestAssured.given()
                .get("/api/sealing-keys")
                .then()
                .statusCode(200)
                .contentType("application/jwk-set+json")
                .body("keys", org.hamcrest.Matchers.hasSize(1))
                .body("keys[0].kty", org.hamcrest.Matchers.equalTo("OKP"))
                .body("keys[0].crv", org.hamcrest.Matchers.equalTo("X25519"))
                .body("keys[0].use", org.hamcrest.Matchers.equalTo("enc"))
                .body("keys[0].alg", org.hamcrest.Matchers.equalTo("ECDH-ES+A256KW"))
                .body("keys[0].d", org.hamcrest.Matchers.nullValue());
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] value) {
        try {
            return dev.windlass.events.EventJson.mapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EventEnvelope<DeploymentRequested> request(UUID id, String app) {
        return EventEnvelope.create(
                EventType.DEPLOYMENT_REQUESTED,
                "/ci/attacker",
                DeploymentRequested.apply(id, RegistryStandIn.LOCAL, NS, spec(app), FORGED, Instant.now()));
    }

    private static void assertRefused(UUID eventId, UUID deploymentId, String path, String rule) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(reason(eventId))
                        .extracting(Violation::path, Violation::rule)
                        .containsExactly(Tuple.tuple(path, rule)));
        // nothing applied, nothing stored, nothing announced
        assertThat(TestDb.count("select count(*) from deployments where id = ?", deploymentId))
                .isZero();
        assertThat(TestKafka.statuses(deploymentId)).isEmpty();
    }

    private static Optional<ConsumerRecord<byte[], byte[]>> deadLetter(UUID eventId) {
        return TestKafka.deadLetter(eventId);
    }

    private static List<Violation> reason(UUID eventId) {
        return TestKafka.deadLetterReason(eventId);
    }
}
