package dev.windlass.events.validation;

import dev.windlass.events.app.AppHealthChanged;

/** Checks of {@link AppHealthChanged}. */
final class AppHealthRules implements PayloadRules<AppHealthChanged> {

    /** Longest health message. */
    static final int MAX_MESSAGE_LENGTH = 4096;

    @Override
    public void check(AppHealthChanged change, Checker at) {
        at.field("orchestrator").name(change.orchestrator(), NameRule.DNS_LABEL);
        at.field("namespace").name(change.namespace(), NameRule.DNS_LABEL);
        at.field("app").name(change.app(), NameRule.DNS_1035_LABEL);
        Checker revision = at.field("revision");
        if (revision.present(change.revision())) {
            revision.range(change.revision(), 1, Integer.MAX_VALUE);
        }
        at.field("health").present(change.health());
        if (change.message() != null) {
            at.field("message").maxLength(change.message(), MAX_MESSAGE_LENGTH);
        }
        at.field("occurredAt").present(change.occurredAt());
    }
}
