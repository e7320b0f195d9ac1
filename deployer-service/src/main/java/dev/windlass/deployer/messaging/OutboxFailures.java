package dev.windlass.deployer.messaging;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Which failures of publishing an outbox row waiting will not cure, so that they count an attempt: the row's payload
 * or headers do not open (sealed with a key that was removed, damaged), no channel publishes to its topic, or the
 * broker refuses the record itself (too large, invalid). Everything else — a broker that is down or slow, a leader
 * moving, an authorization an operator has to fix — is waited out without counting, as before.
 */
final class OutboxFailures {

    private OutboxFailures() {}

    /** A row that cannot be turned into a record. */
    static final class Unpublishable extends RuntimeException {

        Unpublishable(String message) {
            super(message);
        }

        Unpublishable(String message, Throwable cause) {
            super(message + ": " + cause.getClass().getSimpleName(), cause);
        }
    }

    /** Whether {@code failure} (or one of its causes) means the row itself cannot be published. */
    static boolean permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Unpublishable
                    || cause instanceof RecordTooLargeException
                    || cause instanceof RecordBatchTooLargeException
                    || cause instanceof InvalidRecordException
                    || cause instanceof InvalidTopicException
                    || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    /** The failure for the row's {@code last_error} and the log: class and message, never the payload. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
