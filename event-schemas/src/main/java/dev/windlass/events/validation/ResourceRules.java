package dev.windlass.events.validation;

import dev.windlass.events.spec.ResourceAmounts;
import dev.windlass.events.spec.ResourcesSpec;
import java.math.BigDecimal;

/** CPU and memory quantities, and requests within limits. */
final class ResourceRules {

    private ResourceRules() {}

    static void check(ResourcesSpec resources, Checker at) {
        if (resources == null) {
            return;
        }
        ResourceAmounts requests = resources.requests();
        ResourceAmounts limits = resources.limits();
        amounts(requests, at.field("requests"));
        amounts(limits, at.field("limits"));
        if (requests != null && limits != null) {
            withinLimit(requests.cpu(), limits.cpu(), at.field("requests").field("cpu"), "limits.cpu");
            withinLimit(requests.memory(), limits.memory(), at.field("requests").field("memory"), "limits.memory");
        }
    }

    private static void amounts(ResourceAmounts amounts, Checker at) {
        if (amounts == null) {
            return;
        }
        if (amounts.cpu() != null) {
            positive(amounts.cpu(), at.field("cpu"), false);
        }
        if (amounts.memory() != null) {
            positive(amounts.memory(), at.field("memory"), true);
        }
    }

    /** Checks a quantity that must be above zero; byte amounts may not use the milli suffix. */
    static void positive(String quantity, Checker at, boolean bytes) {
        BigDecimal value = Quantity.parse(quantity).orElse(null);
        if (value == null) {
            NameRule.QUANTITY.check(quantity, at);
        } else if (value.signum() <= 0) {
            at.fail(Rules.QUANTITY, "must be greater than zero");
        } else if (bytes && Quantity.isMilli(quantity)) {
            at.fail(Rules.QUANTITY, "must not count thousandths of a byte (suffix 'm'); did you mean 'Mi'?");
        }
    }

    private static void withinLimit(String request, String limit, Checker at, String limitPath) {
        if (request == null || limit == null) {
            return;
        }
        BigDecimal requested = Quantity.parse(request).orElse(null);
        BigDecimal limited = Quantity.parse(limit).orElse(null);
        if (requested != null && limited != null && requested.compareTo(limited) > 0) {
            at.fail(Rules.LIMIT, "must not exceed " + limitPath);
        }
    }
}
