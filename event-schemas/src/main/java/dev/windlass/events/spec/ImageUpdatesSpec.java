package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the app takes newly pushed images of its repository on its own, and which: {@code policy} is one of
 * {@link ImageUpdatePolicy}'s forms ({@code none}, {@code all}, {@code major}, {@code minor}, {@code patch},
 * {@code glob:<pattern>}, {@code force}). Each update taken is an image-only update of the app's newest revision,
 * requested by the image-update actor with the policy as its reason — at once, or once {@code approvals} (when
 * given) have been given before their deadline.
 *
 * <p>New images are learnt from the registry's webhooks; with {@code poll} (an ISO-8601 duration) Windlass also asks
 * the registry for the repository's tags that often, for registries that cannot send webhooks.
 */
@RegisterForReflection
public record ImageUpdatesSpec(@Required String policy, ApprovalsSpec approvals, String poll) {

    /** Shortest poll interval: registries limit how often they may be asked. */
    public static final Duration MIN_POLL = Duration.ofSeconds(10);

    /** Longest poll interval. */
    public static final Duration MAX_POLL = Duration.ofDays(1);

    /** Updates deployed as soon as the policy takes them, without approvals, learnt from webhooks. */
    public ImageUpdatesSpec(String policy) {
        this(policy, null, null);
    }

    /** Updates learnt from webhooks. */
    public ImageUpdatesSpec(String policy, ApprovalsSpec approvals) {
        this(policy, approvals, null);
    }

    /** How often the registry is polled, once the spec is valid; empty when it is not. */
    public Optional<Duration> pollInterval() {
        return Optional.ofNullable(poll).map(Duration::parse);
    }

    /** The policy, once the spec is valid. */
    public ImageUpdatePolicy parsedPolicy() {
        return ImageUpdatePolicy.parse(policy).orElseThrow(() -> new IllegalStateException("not a policy: " + policy));
    }
}
