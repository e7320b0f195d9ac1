package dev.windlass.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.WebApplicationException;
import java.net.SocketException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTableTest {

    static class GoneException extends RuntimeException {}

    static class LongGoneException extends GoneException {}

    private static final ProblemEntry GONE = new ProblemEntry(410, "gone", "Gone");

    private final ProblemTable table = new ProblemTable(
            Map.of(GoneException.class, GONE, ForbiddenException.class, new ProblemEntry(403, "own", "Forbidden")),
            failure -> failure instanceof SocketException);

    @Test
    void sharedEntriesCoverJsonAndSecurity() {
        assertThat(table.entryFor(new JsonParseException(null, "bad"))).isEqualTo(ProblemTable.VALIDATION);
        assertThat(table.entryFor(new UnauthorizedException())).isEqualTo(ProblemTable.UNAUTHORIZED);
        assertThat(table.entryFor(new AuthenticationFailedException())).isEqualTo(ProblemTable.UNAUTHORIZED);
    }

    @Test
    void aServicesOwnEntriesAddToAndOverrideTheShared() {
        assertThat(table.entryFor(new LongGoneException())).isEqualTo(GONE);
        assertThat(table.entryFor(new ForbiddenException()).slug()).isEqualTo("own");
    }

    @Test
    void jaxRsStatusesOutagesAndTheRest() {
        assertThat(table.entryFor(new NotAcceptableException()))
                .extracting(ProblemEntry::status, ProblemEntry::type)
                .containsExactly(406, "urn:windlass:problem:http-406");
        assertThat(table.entryFor(new SocketException())).isEqualTo(ProblemTable.UNAVAILABLE);
        assertThat(table.entryFor(new WebApplicationException(502))).isEqualTo(ProblemTable.INTERNAL);
        assertThat(table.entryFor(new IllegalStateException("secret"))).isEqualTo(ProblemTable.INTERNAL);
    }
}
