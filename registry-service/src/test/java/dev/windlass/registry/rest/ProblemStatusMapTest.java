package dev.windlass.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.registry.service.DuplicateNameException;
import dev.windlass.registry.service.OrchestratorNotFoundException;
import dev.windlass.registry.service.PreconditionRequiredException;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.VersionMismatchException;
import dev.windlass.registry.service.Violation;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

class ProblemStatusMapTest {

    @Test
    void mapsEachKnownFailureToItsStatusAndType() {
        assertThat(ProblemStatusMap.entryFor(new ValidationFailedException(new Violation("name", "required", "x"))))
                .extracting(ProblemEntry::status, ProblemEntry::type)
                .containsExactly(400, "urn:windlass:problem:validation");
        assertThat(ProblemStatusMap.entryFor(new JsonParseException(null, "bad"))
                        .status())
                .isEqualTo(400);
        assertThat(ProblemStatusMap.entryFor(new UnauthorizedException()).status())
                .isEqualTo(401);
        assertThat(ProblemStatusMap.entryFor(new AuthenticationFailedException())
                        .status())
                .isEqualTo(401);
        assertThat(ProblemStatusMap.entryFor(new ForbiddenException()).status()).isEqualTo(403);
        assertThat(ProblemStatusMap.entryFor(new OrchestratorNotFoundException("x")))
                .extracting(ProblemEntry::status, ProblemEntry::type)
                .containsExactly(404, "urn:windlass:problem:not-found");
        assertThat(ProblemStatusMap.entryFor(new DuplicateNameException("x")).status())
                .isEqualTo(409);
        assertThat(ProblemStatusMap.entryFor(new VersionMismatchException()).status())
                .isEqualTo(412);
        assertThat(ProblemStatusMap.entryFor(new PreconditionRequiredException("x"))
                        .status())
                .isEqualTo(428);
    }

    @Test
    void aSubclassTakesItsNearestListedSuperclass() {
        class SpecialNotFound extends OrchestratorNotFoundException {
            SpecialNotFound() {
                super("x");
            }
        }
        assertThat(ProblemStatusMap.entryFor(new SpecialNotFound()).status()).isEqualTo(404);
    }

    @Test
    void jaxRsClientErrorsKeepTheirStatus() {
        assertThat(ProblemStatusMap.entryFor(new NotFoundException()))
                .extracting(ProblemEntry::status, ProblemEntry::title)
                .containsExactly(404, "Not Found");
        assertThat(ProblemStatusMap.entryFor(new NotAllowedException("GET")).status())
                .isEqualTo(405);
    }

    @Test
    void everythingElseIsAnAnonymous500() {
        assertThat(ProblemStatusMap.entryFor(new IllegalStateException("secret-ish detail")))
                .isEqualTo(ProblemStatusMap.INTERNAL);
        assertThat(ProblemStatusMap.entryFor(new WebApplicationException(503))).isEqualTo(ProblemStatusMap.INTERNAL);
        assertThat(ProblemStatusMap.INTERNAL.title()).isEqualTo("Internal error");
    }

    @Test
    void theTableListsEveryDomainFailure() {
        assertThat(ProblemStatusMap.table())
                .containsKeys(
                        ValidationFailedException.class,
                        OrchestratorNotFoundException.class,
                        DuplicateNameException.class,
                        VersionMismatchException.class,
                        PreconditionRequiredException.class,
                        UnauthorizedException.class,
                        ForbiddenException.class);
    }

    @Test
    void aRefusedConnectionIsA503AtAnyDepth() {
        java.net.ConnectException refused = new java.net.ConnectException("Connection refused: /127.0.0.1:5432");
        assertThat(ProblemStatusMap.entryFor(refused).status()).isEqualTo(503);
        assertThat(ProblemStatusMap.entryFor(new IllegalStateException("wrapped", refused)))
                .isEqualTo(ProblemStatusMap.UNAVAILABLE);
        assertThat(ProblemStatusMap.UNAVAILABLE.type()).isEqualTo("urn:windlass:problem:unavailable");
    }
}
