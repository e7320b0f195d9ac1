package dev.windlass.deployer.service;

import static dev.windlass.deployer.testing.TestSpecs.uniqueApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.windlass.deployer.domain.Deployment;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.testing.DeployerTestProfile;
import dev.windlass.deployer.testing.TestDb;
import dev.windlass.deployer.testing.TestKafka;
import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.events.deployment.DeploymentPhase;
import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.deployment.ObjectRef;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The deployment's moves after the intake, one guarded statement each on the real PostgreSQL: a move happens only
 * from the phases it names, exactly one of several racing moves wins, and the row, its history entry and its status
 * event are written together.
 */
@QuarkusTest
@TestProfile(DeployerTestProfile.class)
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "deployer"))
class GuardedMovesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Transitions transitions =
            Arc.container().instance(Transitions.class).get();

    @Test
    void aMoveWritesTheRowItsHistoryEntryAndItsStatusEventTogether() {
        UUID id = stored("PROGRESSING");
        List<ObjectRef> objects = List.of(new ObjectRef("Deployment", "default", "web"));

        Deployment moved =
                move(id, Set.of(DeploymentState.PROGRESSING), DeploymentPhase.SUCCEEDED, "web is up", objects);

        assertThat(moved.phase).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(moved.revision).isEqualTo(3);
        assertThat(TestDb.column("select phase || ' ' || message from deployments where id = ?", id))
                .containsExactly("SUCCEEDED web is up");
        assertThat(TestDb.column(
                        "select phase || ' ' || revision || ' ' || message || ' ' || objects from deployment_phases"
                                + " where deployment_id = ? order by id",
                        id))
                .singleElement()
                .asString()
                .startsWith("SUCCEEDED 3 web is up [")
                .contains("\"kind\":\"Deployment\"", "\"name\":\"web\"");
        // the row's time is the history entry's and the status event's
        assertThat(TestDb.column(
                        "select count(*) from deployments d join deployment_phases p on p.deployment_id = d.id"
                                + " where d.id = ? and p.occurred_at = d.updated_at",
                        id))
                .containsExactly("1");
        DeploymentStatusChanged status = awaitStatuses(id, 1).get(0);
        assertThat(status.phase()).isEqualTo(DeploymentPhase.SUCCEEDED);
        assertThat(status.message()).isEqualTo("web is up");
        assertThat(status.revision()).isEqualTo(3);
        assertThat(status.objects()).containsExactlyElementsOf(objects);
        assertThat(status.occurredAt()).isEqualTo(moved.updatedAt);
    }

    @Test
    void aDeploymentElsewhereIsNotMovedAndNothingIsWritten() {
        UUID id = stored("SUPERSEDED");

        Deployment moved =
                move(id, Set.of(DeploymentState.PROGRESSING), DeploymentPhase.SUCCEEDED, "too late", List.of());
        Deployment unknown = move(
                UUID.randomUUID(), Set.of(DeploymentState.PROGRESSING), DeploymentPhase.FAILED, "nobody", List.of());

        assertThat(moved).isNull();
        assertThat(unknown).isNull();
        assertThat(TestDb.column("select phase || ' ' || message from deployments where id = ?", id))
                .containsExactly("SUPERSEDED stored by the test");
        assertThat(TestDb.phases(id)).isEmpty();
        // a later move of the same deployment is published; none came before it
        move(id, Set.of(DeploymentState.SUPERSEDED), DeploymentPhase.FAILED, "moved on purpose", List.of());
        assertThat(awaitStatuses(id, 1))
                .extracting(DeploymentStatusChanged::message)
                .containsExactly("moved on purpose");
    }

    @Test
    void ofMovesRacingFromTheSamePhaseExactlyOneWins() {
        UUID id = stored("PROGRESSING");
        List<Uni<Deployment>> racing = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            DeploymentPhase to = i % 2 == 0 ? DeploymentPhase.SUCCEEDED : DeploymentPhase.FAILED;
            String message = "move " + i;
            racing.add(Uni.createFrom()
                    .deferred(() -> transitions.move(id, Set.of(DeploymentState.PROGRESSING), to, message, List.of()))
                    .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultExecutor()));
        }

        List<Deployment> outcomes =
                Uni.join().all(racing).andCollectFailures().await().atMost(WAIT);

        List<Deployment> winners = outcomes.stream().filter(Objects::nonNull).toList();
        assertThat(winners).hasSize(1);
        Deployment winner = winners.get(0);
        assertThat(TestDb.phases(id)).containsExactly(winner.phase.name());
        assertThat(TestDb.column("select message from deployments where id = ?", id))
                .containsExactly(winner.message);
        assertThat(awaitStatuses(id, 1))
                .extracting(DeploymentStatusChanged::message)
                .containsExactly(winner.message);
    }

    private Deployment move(
            UUID id, Set<DeploymentState> from, DeploymentPhase to, String message, List<ObjectRef> objects) {
        return transitions.move(id, from, to, message, objects).await().atMost(WAIT);
    }

    /** The status events of the deployment once {@code count} were published, checking that no more follow. */
    private static List<DeploymentStatusChanged> awaitStatuses(UUID id, int count) {
        await().atMost(WAIT).until(() -> TestKafka.statuses(id).size() >= count);
        return TestKafka.statuses(id);
    }

    /** A deployment of revision 3 stored in {@code phase}, as if the intake and the pipeline had brought it there. */
    private static UUID stored(String phase) {
        UUID id = UUID.randomUUID();
        TestDb.update(
                "insert into deployments (id, orchestrator, orchestrator_id, namespace, app, action, phase, message,"
                        + " revision, requested_by_subject, requested_at, updated_at)"
                        + " values (?, 'local', ?, 'default', ?, 'APPLY', ?, 'stored by the test', 3, 'someone',"
                        + " now() - interval '1 minute', now() - interval '1 minute')",
                id,
                UUID.randomUUID(),
                uniqueApp("moved"),
                phase);
        return id;
    }
}
