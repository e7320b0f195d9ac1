package dev.windlass.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticationFailureLogTest {

    @Test
    void namesTheKindOfFailureButNeverItsMessage() {
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln";
        var failure = new AuthenticationFailedException(new IllegalArgumentException("bad token " + token));

        String kind = AuthenticationFailureLog.kind(failure);

        assertThat(kind).isEqualTo("AuthenticationFailedException <- IllegalArgumentException");
        assertThat(kind).doesNotContain(token);
    }

    @Test
    void saysARequestWhenTheEventCarriesNoRoutingContext() {
        assertThat(AuthenticationFailureLog.request(Map.of("other", "value"))).isEqualTo("a request");
    }
}
