package dev.windlass.deployer.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The one way the deployer turns a key, headers and a value into a message for an outgoing Kafka channel. */
final class KafkaMessages {

    private KafkaMessages() {}

    static Message<byte[]> of(byte[] key, Map<String, byte[]> headers, byte[] value) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach(recordHeaders::add);
        var metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(key)
                .withHeaders(recordHeaders)
                .build();
        return Message.of(value).addMetadata(metadata);
    }
}
