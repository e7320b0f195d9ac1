package dev.windlass.deployer.service;

import dev.windlass.events.validation.Violation;
import java.util.List;

/** A request broke one or more rules; each violation names the field and the rule. */
public class ValidationFailedException extends RuntimeException {

    private final List<Violation> violations;

    public ValidationFailedException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    /** Violations with a summary of their own, e.g. naming every unknown field. */
    public ValidationFailedException(String detail, List<Violation> violations) {
        super(detail);
        this.violations = List.copyOf(violations);
    }

    public ValidationFailedException(String path, String rule, String message) {
        this(List.of(new Violation(path, rule, message)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        if (violations.size() == 1) {
            Violation v = violations.get(0);
            return v.path() + " " + v.message();
        }
        return violations.size() + " fields are invalid";
    }
}
