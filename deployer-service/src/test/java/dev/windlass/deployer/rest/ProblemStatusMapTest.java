package dev.windlass.deployer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.deployer.service.IdempotencyConflictException;
import dev.windlass.deployer.service.NotAllowedException;
import dev.windlass.deployer.service.NotFoundException;
import dev.windlass.deployer.service.RegistryUnavailableException;
import dev.windlass.deployer.service.ValidationFailedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.ServiceUnavailableException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemStatusMapTest {

    @Test
    void mapsEveryWindlassFailureToItsStatus() {
        assertThat(Map.of(
                        new ValidationFailedException("spec.image", "required", "is required"), 400,
                        new JsonParseException(null, "bad"), 400,
                        new UnauthorizedException(), 401,
                        new AuthenticationFailedException(), 401,
                        new ForbiddenException(), 403,
                        new NotAllowedException("no"), 403,
                        new NotFoundException("gone"), 404,
                        new IdempotencyConflictException("k"), 409,
                        new RegistryUnavailableException("down", null), 503))
                .allSatisfy((failure, status) -> assertThat(
                                ProblemStatusMap.entryFor(failure).status())
                        .as(failure.getClass().getSimpleName())
                        .isEqualTo(status));
    }

    @Test
    void namesEachKindOfProblem() {
        assertThat(ProblemStatusMap.entryFor(new NotAllowedException("no")).type())
                .isEqualTo("urn:windlass:problem:orchestrator-not-allowed");
        assertThat(ProblemStatusMap.entryFor(new ForbiddenException()).type())
                .isEqualTo("urn:windlass:problem:forbidden");
        assertThat(ProblemStatusMap.table().values())
                .extracting(ProblemEntry::slug)
                .doesNotContain("internal-error");
    }

    @Test
    void keepsClientStatusesOfJaxRsExceptionsAndHidesEverythingElse() {
        assertThat(ProblemStatusMap.entryFor(new NotAcceptableException()).status())
                .isEqualTo(406);
        assertThat(ProblemStatusMap.entryFor(new ServiceUnavailableException()).status())
                .isEqualTo(500);
        assertThat(ProblemStatusMap.entryFor(new IllegalStateException("secret detail")))
                .isEqualTo(ProblemStatusMap.INTERNAL);
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
