package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.kubernetes.ClusterException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    private static final ConnectException REFUSED = new ConnectException("Connection refused: /127.0.0.1:5432");

    @Test
    void knowsTheFailuresOfAnUnreachableDatabase() {
        assertThat(DatabaseOutage.isCause(REFUSED)).isTrue();
        assertThat(DatabaseOutage.isCause(new IllegalStateException("wrapped", ClosedConnectionException.INSTANCE)))
                .isTrue();
        assertThat(DatabaseOutage.isCause(
                        new PgException("the database system is shutting down", "FATAL", "57P03", null)))
                .isTrue();
        assertThat(DatabaseOutage.isCause(new PgException("duplicate key", "ERROR", "23505", null)))
                .isFalse();
        assertThat(DatabaseOutage.isCause(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aClusterOrRegistryFailureIsNeverADatabaseOutage() {
        assertThat(DatabaseOutage.isCause(new ClusterException("API server down", 0, true, REFUSED)))
                .isFalse();
        assertThat(DatabaseOutage.isCause(new RegistryUnavailableException("registry down", REFUSED)))
                .isFalse();
    }

    @Test
    void aStateChangeIsTriedAgainThroughAnOutage() {
        AtomicInteger calls = new AtomicInteger();
        Uni<String> write = DatabaseOutage.retried(
                () -> calls.incrementAndGet() < 3
                        ? Uni.createFrom().failure(REFUSED)
                        : Uni.createFrom().item("recorded"),
                Duration.ofMillis(1),
                Duration.ofMillis(2));

        write.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem()
                .assertItem("recorded");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aStateChangeWhoseEveryFailureIsTheDatabasesIsTriedAgainWhateverTheShape() {
        AtomicInteger calls = new AtomicInteger();
        // as from a connection the restart ended: no SQLSTATE, no socket failure in the causes
        Uni<String> write = DatabaseOutage.retried(
                () -> calls.incrementAndGet() < 3
                        ? Uni.createFrom().failure(new IllegalStateException("transaction could not begin"))
                        : Uni.createFrom().item("recorded"),
                failure -> true,
                Duration.ofMillis(1),
                Duration.ofMillis(2));

        write.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem()
                .assertItem("recorded");
        assertThat(calls).hasValue(3);
    }

    @Test
    void otherFailuresAreNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        Uni<String> write = DatabaseOutage.retried(
                () -> {
                    calls.incrementAndGet();
                    return Uni.createFrom().failure(new IllegalStateException("a bug"));
                },
                Duration.ofMillis(1),
                Duration.ofMillis(2));

        write.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitFailure()
                .assertFailedWith(IllegalStateException.class);
        assertThat(calls).hasValue(1);
    }
}
