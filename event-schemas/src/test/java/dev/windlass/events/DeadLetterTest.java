package dev.windlass.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final List<Violation> REASON =
            List.of(new Violation("spec.image", "image", "must be an image reference"));

    @Test
    void keepsTheOriginalHeadersAndAddsWhereAndWhy() {
        Map<String, byte[]> original =
                TestEvents.headersFor(EventType.DEPLOYMENT_REQUESTED, TestEvents.applyRequest(TestEvents.fullSpec()));

        Map<String, byte[]> headers = DeadLetter.headers(
                original, REASON, Topics.DEPLOY_REQUESTS, 3, 1234L, Instant.parse("2026-03-14T09:30:00Z"));

        assertThat(headers).containsAllEntriesOf(original);
        assertThat(text(headers, DeadLetter.SOURCE_TOPIC_HEADER)).isEqualTo("windlass.deploy.requests.v1");
        assertThat(text(headers, DeadLetter.SOURCE_PARTITION_HEADER)).isEqualTo("3");
        assertThat(text(headers, DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("1234");
        assertThat(text(headers, DeadLetter.FAILED_AT_HEADER)).isEqualTo("2026-03-14T09:30:00Z");
        assertThat(text(headers, DeadLetter.REASON_HEADER))
                .isEqualTo("[{\"path\":\"spec.image\",\"rule\":\"image\",\"message\":\"must be an image reference\"}]");
        assertThat(DeadLetter.reasonOf(headers)).isEqualTo(REASON);
    }

    @Test
    void worksWithoutOriginalHeaders() {
        Map<String, byte[]> headers = DeadLetter.headers(null, REASON, Topics.DEPLOY_REQUESTS, 0, 0L, Instant.EPOCH);
        assertThat(headers)
                .containsOnlyKeys(
                        DeadLetter.REASON_HEADER,
                        DeadLetter.SOURCE_TOPIC_HEADER,
                        DeadLetter.SOURCE_PARTITION_HEADER,
                        DeadLetter.SOURCE_OFFSET_HEADER,
                        DeadLetter.FAILED_AT_HEADER);
    }

    @Test
    void cutsLongReasonsAndSaysSo() {
        List<Violation> many = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            many.add(new Violation("spec.env.V" + i, "env-name", "bad"));
        }
        List<Violation> kept = DeadLetter.reasonOf(Map.of(DeadLetter.REASON_HEADER, DeadLetter.reason(many)));
        assertThat(kept).hasSize(DeadLetter.MAX_REASON_VIOLATIONS);
        assertThat(kept.get(DeadLetter.MAX_REASON_VIOLATIONS - 1))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly("$", "truncated", "31 more violations are not listed");
    }

    @Test
    void unreadableReasonIsEmpty() {
        assertThat(DeadLetter.reasonOf(Map.of(DeadLetter.REASON_HEADER, "nope".getBytes(StandardCharsets.UTF_8))))
                .isEmpty();
        assertThat(DeadLetter.reasonOf(Map.of())).isEmpty();
        assertThat(DeadLetter.reasonOf(null)).isEmpty();
        assertThat(DeadLetter.TOPIC).isEqualTo("windlass.deploy.requests.dlq.v1");
    }

    private static String text(Map<String, byte[]> headers, String name) {
        return new String(headers.get(name), StandardCharsets.UTF_8);
    }
}
