package dev.windlass.deployer.messaging;

import dev.windlass.deployer.service.IncomingRequest;
import dev.windlass.deployer.service.IntakeService;
import dev.windlass.events.Channels;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes deploy requests, from the API's outbox and from any other producer. */
@ApplicationScoped
public class DeployRequestConsumer {

    private final IntakeService intake;

    public DeployRequestConsumer(IntakeService intake) {
        this.intake = intake;
    }

    @Incoming(Channels.DEPLOY_REQUESTS_IN)
    public Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return intake.receive(incoming(record));
    }

    static IncomingRequest incoming(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        Instant appendedAt = record.timestampType() == TimestampType.LOG_APPEND_TIME
                ? Instant.ofEpochMilli(record.timestamp())
                : null;
        return new IncomingRequest(
                record.topic(), record.partition(), record.offset(), record.key(), record.value(), headers, appendedAt);
    }
}
