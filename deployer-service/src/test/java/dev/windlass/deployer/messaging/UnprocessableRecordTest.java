package dev.windlass.deployer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.service.IncomingRequest;
import dev.windlass.events.DeadLetter;
import dev.windlass.events.RequestTrust;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record whose processing failed past every wait is dead-lettered by the consumer, not copied as it is by the
 * connector: its token does not reach the dead-letter topic, secret values in the clear are redacted, and the reason
 * says what happened.
 */
class UnprocessableRecordTest {

    @Test
    void theDeadLetterKeepsNoTokenNoSecretAndSaysWhy() {
        String value = """
                {"deploymentId":"0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a","action":"APPLY","orchestrator":"local",
                 "namespace":"default","app":"web","spec":{"name":"web","image":"nginx:1.27",
                 "secretEnv":{"DB_PASSWORD":"hunter2-in-the-clear"}},"requestedBy":{"subject":"ci"},
                 "requestedAt":"2026-03-14T09:30:00Z"}""";
        IncomingRequest request = new IncomingRequest(
                "windlass.deploy.requests.v1",
                2,
                41L,
                "local/default/web".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                Map.of(
                        RequestTrust.AUTHORIZATION_HEADER,
                        "Bearer eyJhbGciOiJSUzI1NiJ9.still-valid.token".getBytes(StandardCharsets.UTF_8),
                        "ce_id",
                        "e-1".getBytes(StandardCharsets.UTF_8)),
                Instant.now());

        dev.windlass.deployer.service.DeadLetterRecord letter = DeployRequestConsumer.unprocessable(
                request, new IllegalStateException("the database stayed away"), Instant.parse("2026-12-05T10:00:00Z"));

        assertThat(letter.headers())
                .doesNotContainKey(RequestTrust.AUTHORIZATION_HEADER)
                .containsKey("ce_id");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                .doesNotContain("hunter2-in-the-clear")
                .contains("DB_PASSWORD");
        assertThat(DeadLetter.reasonOf(letter.headers())).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo(DeployRequestConsumer.UNPROCESSABLE);
            assertThat(v.message()).contains("IllegalStateException: the database stayed away");
        });
        assertThat(new String(letter.headers().get(DeadLetter.SOURCE_OFFSET_HEADER), StandardCharsets.UTF_8))
                .isEqualTo("41");
    }
}
