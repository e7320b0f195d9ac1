package dev.windlass.events.validation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One broken rule: where ({@code spec.ports[1].containerPort}, {@code headers.ce_type}, or {@code $} for the
 * whole payload), which rule ({@link Rules}), and a message for people. Messages never repeat the rejected
 * value, so a violation is safe to log even when the value was a secret.
 */
@RegisterForReflection
public record Violation(String path, String rule, String message) {

    @Override
    public String toString() {
        return path + ": " + message + " [" + rule + "]";
    }
}
