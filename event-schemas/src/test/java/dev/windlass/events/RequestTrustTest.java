package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTrustTest {

    private static final String JWE =
            "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXZpdml2aXZpdg.Y2lwaGVy.dGFndGFndGFn";

    @Test
    void readsTheBearerTokenOfTheAuthorizationHeader() {
        assertThat(RequestTrust.bearerToken(Map.of("authorization", utf8("Bearer abc.def.ghi"))))
                .isEqualTo("abc.def.ghi");
        assertThat(RequestTrust.bearerToken(Map.of("authorization", utf8("bearer  abc "))))
                .isEqualTo("abc");
        assertThat(RequestTrust.bearerToken(Map.of("authorization", utf8("Basic dXNlcjpwdw=="))))
                .isNull();
        assertThat(RequestTrust.bearerToken(Map.of("authorization", utf8("Bearer "))))
                .isNull();
        assertThat(RequestTrust.bearerToken(Map.of())).isNull();
    }

    @Test
    void tellsASealedValueFromOneInTheClear() {
        assertThat(RequestTrust.looksSealed(JWE)).isTrue();
        assertThat(RequestTrust.looksSealed("s3cr3t")).isFalse();
        assertThat(RequestTrust.looksSealed("a.b.c")).isFalse();
        assertThat(RequestTrust.looksSealed("a.b.c.d.e f")).isFalse();
    }

    @Test
    void redactsSecretValuesInTheClearAndKeepsSealedOnes() {
        byte[] value =
                utf8("{\"app\":\"web\",\"spec\":{\"name\":\"web\",\"secretEnv\":{\"PLAIN\":\"s3cr3t\",\"SEALED\":\""
                        + JWE + "\"}}}");
        String redacted = new String(RequestTrust.withoutPlaintextSecrets(value), StandardCharsets.UTF_8);
        assertThat(redacted)
                .doesNotContain("s3cr3t")
                .contains("\"PLAIN\":\"" + RequestTrust.REDACTED + "\"")
                .contains(JWE);
    }

    @Test
    void leavesEveryOtherValueAsItCame() {
        byte[] sealedOnly = utf8("{\"spec\":{\"secretEnv\":{\"SEALED\":\"" + JWE + "\"}},  \"x\" : 1}");
        assertThat(RequestTrust.withoutPlaintextSecrets(sealedOnly)).isSameAs(sealedOnly);
        byte[] garbage = {(byte) 0xff, 0, 42};
        assertThat(RequestTrust.withoutPlaintextSecrets(garbage)).isSameAs(garbage);
        byte[] noSpec = utf8("{\"action\":\"DELETE\"}");
        assertThat(RequestTrust.withoutPlaintextSecrets(noSpec)).isSameAs(noSpec);
    }

    @Test
    void aDeadLetterKeepsNoToken() {
        Map<String, byte[]> headers = DeadLetter.headers(
                Map.of("authorization", utf8("Bearer abc"), CloudEventHeaders.ID, utf8("id")),
                List.of(new Violation("authorization", RequestTrust.UNAUTHENTICATED, "no")),
                Topics.DEPLOY_REQUESTS,
                0,
                1,
                Instant.now());
        assertThat(headers).doesNotContainKey("authorization").containsKey(CloudEventHeaders.ID);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
