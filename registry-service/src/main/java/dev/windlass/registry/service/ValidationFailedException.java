package dev.windlass.registry.service;

import java.util.List;

/** A request broke one or more rules; each violation names the field and the rule. */
public class ValidationFailedException extends RuntimeException {

    private final transient List<Violation> violations;

    public ValidationFailedException(List<Violation> violations) {
        super(violations.size() == 1 ? violations.get(0).message() : violations.size() + " fields are invalid");
        this.violations = List.copyOf(violations);
    }

    /** Violations with a summary of their own, e.g. naming every unknown field. */
    public ValidationFailedException(String detail, List<Violation> violations) {
        super(detail);
        this.violations = List.copyOf(violations);
    }

    public ValidationFailedException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }
}
