package dev.windlass.events.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.windlass.events.ImmutableCopies;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.List;

/**
 * Approvals an image update needs before it is deployed: {@code count} approvals, each by a different member of one
 * of {@code groups} (the token's {@code groups}), before {@code deadline} (an ISO-8601 duration from when the update
 * was found; {@value #DEFAULT_DEADLINE} unless set) — else the update expires and nothing is deployed.
 */
@RegisterForReflection
public record ApprovalsSpec(
        @Required Integer count,
        @Required @JsonInclude(Include.NON_EMPTY) List<String> groups,
        String deadline) {

    /** The deadline when none is given. */
    public static final String DEFAULT_DEADLINE = "PT24H";

    /** Most approvals one update may ask for. */
    public static final int MAX_COUNT = 10;

    /** Most groups that may approve. */
    public static final int MAX_GROUPS = 20;

    /** Longest group name. */
    public static final int MAX_GROUP_LENGTH = 256;

    /** Shortest and longest deadline. */
    public static final Duration MIN_DEADLINE = Duration.ofSeconds(1);

    public static final Duration MAX_DEADLINE = Duration.ofDays(30);

    /**
     * Days, hours, minutes and whole seconds of an ISO-8601 duration, as deadlines and poll intervals are written;
     * appears verbatim (anchored) in the schema.
     */
    public static final String DURATION_PATTERN =
            "P(?!$)([0-9]{1,3}D)?(T(?=[0-9])([0-9]{1,4}H)?([0-9]{1,6}M)?([0-9]{1,7}S)?)?";

    public ApprovalsSpec {
        groups = ImmutableCopies.list(groups);
    }

    /** The deadline as a duration, once the spec is valid. */
    public Duration deadlineDuration() {
        return Duration.parse(deadline == null ? DEFAULT_DEADLINE : deadline);
    }
}
