package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.deployer.domain.OutboxRecord;
import dev.windlass.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which outbox values are sealed at rest: requests and dead letters (they may hold secrets), not status events. */
class OutboxPayloadTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final Outbox outbox = new Outbox(null, new SecretCipher("k1", Map.of("k1", KEY)));

    @Test
    void statusEventsAreStoredAsPublishedAndEverythingElseSealed() {
        byte[] status = "{\"phase\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8);
        byte[] request = "{\"secretEnv\":{\"DB_PASSWORD\":\"eyJhbGciOi...\"}}".getBytes(StandardCharsets.UTF_8);

        String storedStatus = outbox.stored(Topics.DEPLOY_STATUS, status);
        String storedRequest = outbox.stored(Topics.DEPLOY_REQUESTS, request);
        String storedLetter = outbox.stored(Topics.DEPLOY_REQUESTS_DLQ, request);

        assertThat(storedStatus).isEqualTo("plain:{\"phase\":\"SUCCEEDED\"}");
        assertThat(storedRequest).startsWith("v1:k1:").doesNotContain("DB_PASSWORD");
        assertThat(storedLetter).startsWith("v1:k1:").doesNotContain("DB_PASSWORD");
        assertThat(outbox.payload(row(storedStatus))).isEqualTo(status);
        assertThat(outbox.payload(row(storedRequest))).isEqualTo(request);
        assertThat(outbox.payload(row(storedLetter))).isEqualTo(request);
    }

    private static OutboxRecord row(String payload) {
        OutboxRecord row = new OutboxRecord();
        row.payload = payload;
        return row;
    }
}
