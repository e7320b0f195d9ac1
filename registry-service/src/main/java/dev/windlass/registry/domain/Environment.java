package dev.windlass.registry.domain;

import java.util.Arrays;
import java.util.Optional;

/** The environment an orchestrator serves; its wire value is the lower-case name. */
public enum Environment {
    DEV("dev"),
    STAGING("staging"),
    PROD("prod");

    private final String value;

    Environment(String value) {
        this.value = value;
    }

    /** The value used in requests and responses. */
    public String value() {
        return value;
    }

    /** The environment with this wire value, if any. */
    public static Optional<Environment> fromValue(String value) {
        return Arrays.stream(values()).filter(e -> e.value.equals(value)).findFirst();
    }
}
