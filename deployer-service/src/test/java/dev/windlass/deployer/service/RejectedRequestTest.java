package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RejectedRequestTest {

    @Test
    void readsWhatItCanFromAnInvalidRequest() {
        UUID eventId = UUID.randomUUID();
        UUID deploymentId = UUID.randomUUID();
        String value = "{\"deploymentId\":\"" + deploymentId
                + "\",\"orchestrator\":\"home\",\"namespace\":\"shop\",\"app\":\"web\",\"spec\":{\"replicas\":-1}}";
        RejectedRequest known = RejectedRequest.of(record(value.getBytes(StandardCharsets.UTF_8), eventId.toString()));
        assertThat(known)
                .isEqualTo(new RejectedRequest(
                        eventId,
                        deploymentId,
                        "home",
                        "shop",
                        "web",
                        dev.windlass.deployer.trust.RequestDigest.ofValue(value.getBytes(StandardCharsets.UTF_8)),
                        false));
        assertThat(known.digest()).hasSize(64);
        assertThat(known.appKnown()).isTrue();
        // only a sender whose token counted may have a failure announced for an app without a stored deployment
        assertThat(known.authenticated()).isFalse();
        assertThat(known.fromAuthenticatedSender().authenticated()).isTrue();
        assertThat(known.withoutEventId().eventId()).isNull();
    }

    @Test
    void readsNothingFromGarbageAndNeverThrows() {
        RejectedRequest known = RejectedRequest.of(record(new byte[] {(byte) 0xff, 0, 42}, "not-a-uuid"));
        assertThat(known).isEqualTo(new RejectedRequest(null, null, null, null, null));
        assertThat(RejectedRequest.of(record(null, null)).appKnown()).isFalse();
    }

    @Test
    void ignoresPartsThatCannotKeyAStatusEvent() {
        String value = "{\"deploymentId\":\"" + UUID.randomUUID()
                + "\",\"orchestrator\":\"a/b\",\"namespace\":\" \",\"app\":42}";
        RejectedRequest known = RejectedRequest.of(record(value.getBytes(StandardCharsets.UTF_8), null));
        assertThat(known.appKnown()).isFalse();
        assertThat(known.deploymentId()).isNotNull();
    }

    private static IncomingRequest record(byte[] value, String id) {
        Map<String, byte[]> headers =
                id == null ? Map.of() : Map.of(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        return new IncomingRequest("t", 0, 0, null, value, headers);
    }
}
