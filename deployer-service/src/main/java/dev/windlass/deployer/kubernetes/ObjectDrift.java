package dev.windlass.deployer.kubernetes;

import java.util.List;

/**
 * How one object of an app differs from what its revision applies: the field paths that differ (never their
 * values) and why in words. {@code checked} is false when the object could not be compared (the reason says why).
 */
public record ObjectDrift(
        String kind, String namespace, String name, List<String> fields, String reason, boolean checked) {}
