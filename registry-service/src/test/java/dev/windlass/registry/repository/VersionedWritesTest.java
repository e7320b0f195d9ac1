package dev.windlass.registry.repository;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.support.Database;
import dev.windlass.registry.support.DeployerStandIn;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The version (the ETag) guards every write of an orchestrator's configuration in the statement itself: a copy read
 * before another write changed the row cannot overwrite, request the deletion of, or delete it. The API's own check of
 * {@code If-Match} happens before the write; this is what holds when two writes read the same version at once.
 */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class VersionedWritesTest {

    @Inject
    OrchestratorRepository orchestrators;

    @Inject
    Pool pool;

    @Test
    void aCopyReadBeforeAnotherWriteCannotWriteOverIt() {
        UUID id = UUID.fromString(createId(tokenBody(uniqueName("versioned"))));
        Orchestrator first = await(orchestrators.findById(pool, id));
        Orchestrator second = await(orchestrators.findById(pool, id));
        assertThat(first.getVersion()).isZero();

        first.setDescription("written by the first");
        assertThat(await(orchestrators.update(pool, first))).isTrue();
        assertThat(first.getVersion()).isEqualTo(1);

        second.setDescription("written by the second");
        assertThat(await(orchestrators.update(pool, second))).isFalse();
        second.requestDeletion(new Actor("someone", "someone"), Instant.now());
        assertThat(await(orchestrators.updateDeletion(pool, second))).isFalse();
        assertThat(await(orchestrators.delete(pool, second))).isFalse();

        assertThat(Database.orchestratorRow(id.toString()))
                .containsEntry("description", "written by the first")
                .containsEntry("version", 1L)
                .containsEntry("deletion_requested_at", null);
        assertThat(second.getVersion()).isZero();
    }

    @Test
    void aDeletionRequestIsANewVersionAndTheCurrentCopyDeletes() {
        UUID id = UUID.fromString(createId(tokenBody(uniqueName("versioned-delete"))));
        Orchestrator o = await(orchestrators.findById(pool, id));

        o.requestDeletion(new Actor("someone", "someone"), Instant.now());
        assertThat(await(orchestrators.updateDeletion(pool, o))).isTrue();
        assertThat(o.getVersion()).isEqualTo(1);
        assertThat(await(orchestrators.findById(pool, id)).isBeingDeleted()).isTrue();

        assertThat(await(orchestrators.delete(pool, o))).isTrue();
        assertThat(await(orchestrators.findById(pool, id))).isNull();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }
}
