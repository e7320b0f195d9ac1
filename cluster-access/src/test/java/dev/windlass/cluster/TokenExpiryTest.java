package dev.windlass.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenExpiryTest {

    @Test
    void aJwtTokenSaysWhenItExpires() {
        assertThat(TokenExpiry.of(jwt("{\"iss\":\"https://kubernetes.default.svc\",\"exp\":1893456000}")))
                .contains(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void aTokenWithoutAnExpiryOrNotAJwtSaysNothing() {
        assertThat(TokenExpiry.of(jwt("{\"sub\":\"system:serviceaccount:windlass-system:windlass\"}")))
                .isEmpty();
        assertThat(TokenExpiry.of("abcdef.0123456789abcdef")).isEmpty();
        assertThat(TokenExpiry.of("a.b.c")).isEmpty();
        assertThat(TokenExpiry.of(null)).isEmpty();
    }

    private static String jwt(String claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }
}
