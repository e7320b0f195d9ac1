package dev.windlass.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.http.HttpClosedException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A read is tried again once when its pooled connection was closed before any answer, never for anything else. */
class ReadsTest {

    @Test
    void aConnectionClosedBeforeAnyAnswerIsReadAgainOnce() {
        AtomicInteger calls = new AtomicInteger();
        String read = Reads.get(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new KubernetesClientException("Connection was closed", new HttpClosedException("closed"));
            }
            return "pod";
        });
        assertThat(read).isEqualTo("pod");
        assertThat(calls).hasValue(2);

        AtomicInteger twice = new AtomicInteger();
        assertThatThrownBy(() -> Reads.get(() -> {
                    twice.incrementAndGet();
                    throw new KubernetesClientException("Connection was closed", new HttpClosedException("closed"));
                }))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(twice).as("once more, not more").hasValue(2);
    }

    @Test
    void anAnswerOrAnotherFailureIsNotReadAgain() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Reads.get(() -> {
                    calls.incrementAndGet();
                    throw new KubernetesClientException("Forbidden", 403, null);
                }))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(calls).hasValue(1);
        assertThat(Reads.closedBeforeAnswer(
                        new KubernetesClientException("timeout", new java.io.IOException("timed out"))))
                .isFalse();
    }
}
