package dev.windlass.events.validation;

import dev.windlass.events.EventEnvelope;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Either a typed, valid event or the violations that make it invalid; never both, never neither. */
public sealed interface ValidationResult<T> permits ValidationResult.Valid, ValidationResult.Invalid {

    /** Whether the event can be processed. */
    boolean isValid();

    /** The violations; empty exactly when valid. */
    List<Violation> violations();

    /** The typed event; present exactly when valid. */
    Optional<EventEnvelope<T>> event();

    /** A valid event. */
    record Valid<T>(EventEnvelope<T> envelope) implements ValidationResult<T> {

        public Valid {
            Objects.requireNonNull(envelope, "envelope");
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public List<Violation> violations() {
            return List.of();
        }

        @Override
        public Optional<EventEnvelope<T>> event() {
            return Optional.of(envelope);
        }
    }

    /** An invalid event and why. */
    record Invalid<T>(List<Violation> violations) implements ValidationResult<T> {

        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one violation");
            }
        }

        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public Optional<EventEnvelope<T>> event() {
            return Optional.empty();
        }
    }
}
