package dev.windlass.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.gateway.proxy.BackendBusyException;
import dev.windlass.gateway.proxy.BackendTimeoutException;
import dev.windlass.gateway.proxy.BackendUnavailableException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProblemStatusTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new UnauthorizedException(), 401),
                Arguments.of(new AuthenticationFailedException("bad token"), 401),
                Arguments.of(new AuthenticationCompletionException(), 401),
                Arguments.of(new ForbiddenException(), 403),
                Arguments.of(new ValidationException("name: must match a DNS label"), 400),
                Arguments.of(new IllegalArgumentException("bad"), 400),
                Arguments.of(new NotFoundException(), 404),
                Arguments.of(new WebApplicationException(409), 409),
                Arguments.of(new BackendUnavailableException("registry-service", new ConnectException()), 502),
                Arguments.of(new BackendBusyException("registry-service", 50, Duration.ofSeconds(5)), 503),
                Arguments.of(new BackendTimeoutException("registry-service", "answer", Duration.ofSeconds(1)), 504),
                Arguments.of(new IllegalStateException("bug"), 500),
                Arguments.of(new RuntimeException(), 500));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void mapsEachExceptionToItsStatus(Throwable failure, int status) {
        assertThat(ProblemStatus.of(failure)).isEqualTo(status);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void everyProblemHasAReasonPhraseAsTitle(Throwable failure, int status) {
        assertThat(Problem.of(status, "d", "/x", "r").title()).doesNotStartWith("HTTP ");
    }
}
