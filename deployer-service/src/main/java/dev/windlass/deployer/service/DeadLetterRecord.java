package dev.windlass.deployer.service;

import dev.windlass.events.DeadLetter;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.validation.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dead letter of a consumed record, whichever way it leaves (the outbox, or straight to the broker when the
 * database is away): its headers without credentials plus the reason and origin ({@link DeadLetter}), its value with
 * secret values in the clear redacted.
 */
public record DeadLetterRecord(Map<String, byte[]> headers, byte[] value) {

    /** The dead letter of {@code record} for {@code reason}, failed at {@code at}. */
    public static DeadLetterRecord of(IncomingRequest record, List<Violation> reason, Instant at) {
        return new DeadLetterRecord(
                DeadLetter.headers(record.headers(), reason, record.topic(), record.partition(), record.offset(), at),
                RequestTrust.withoutPlaintextSecrets(record.value()));
    }
}
