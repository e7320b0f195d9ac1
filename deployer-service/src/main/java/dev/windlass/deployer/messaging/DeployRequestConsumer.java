package dev.windlass.deployer.messaging;

import dev.windlass.deployer.service.DeadLetterRecord;
import dev.windlass.deployer.service.IncomingRequest;
import dev.windlass.deployer.service.IntakeService;
import dev.windlass.events.Channels;
import dev.windlass.events.validation.Violation;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes deploy requests, from the API's outbox and from any other producer. The intake dead-letters every bad
 * record itself; a record whose processing still fails (the database away past every wait) is dead-lettered here,
 * straight to the broker (the outbox needs the database), with its token dropped and secret values in the clear
 * redacted like every dead letter — never by the connector's own dead-letter queue, which would copy it as it is.
 */
@ApplicationScoped
public class DeployRequestConsumer {

    /** The reason rule of a record whose processing failed although nothing was wrong with it. */
    public static final String UNPROCESSABLE = "unprocessable";

    private static final Logger LOG = Logger.getLogger(DeployRequestConsumer.class);

    private final IntakeService intake;
    private final MutinyEmitter<byte[]> deadLetters;

    public DeployRequestConsumer(
            IntakeService intake, @Channel(Channels.DEPLOY_REQUESTS_DLQ_OUT) MutinyEmitter<byte[]> deadLetters) {
        this.intake = intake;
        this.deadLetters = deadLetters;
    }

    /** The records of one poll, whose outcomes the intake records in one transaction. */
    @Incoming(Channels.DEPLOY_REQUESTS_IN)
    public Uni<Void> consume(ConsumerRecords<byte[], byte[]> records) {
        List<IncomingRequest> requests = new ArrayList<>(records.count());
        records.forEach(record -> requests.add(incoming(record)));
        return intake.receiveAll(requests, this::consumeOne);
    }

    /** One record on its own: a poll's records go this way when they could not be recorded together. */
    private Uni<Void> consumeOne(IncomingRequest request) {
        return intake.receive(request).onFailure().recoverWithUni(failure -> deadLetter(request, failure));
    }

    /** Sends the redacted dead letter of a record that could not be processed; retried until the broker takes it. */
    private Uni<Void> deadLetter(IncomingRequest request, Throwable failure) {
        LOG.errorf("%s could not be processed, dead-lettering it: %s", request, failure.getMessage());
        DeadLetterRecord letter = unprocessable(request, failure, Instant.now());
        Message<byte[]> message = KafkaMessages.of(request.key(), letter.headers(), letter.value());
        return Uni.createFrom()
                .deferred(() -> deadLetters.sendMessage(message))
                .onFailure()
                .invoke(e -> LOG.warnf("the dead letter of %s was not sent yet: %s", request, e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .indefinitely();
    }

    /** The dead letter of a record whose processing failed: headers without credentials, the reason, its origin. */
    static DeadLetterRecord unprocessable(IncomingRequest request, Throwable failure, Instant at) {
        String cause =
                failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        List<Violation> reason = List.of(
                new Violation("", UNPROCESSABLE, "the record could not be processed and is set aside (" + cause + ")"));
        return DeadLetterRecord.of(request, reason, at);
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
