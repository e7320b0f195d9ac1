package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Whether the app takes newly pushed images of its repository on its own, and which: {@code policy} is one of
 * {@link ImageUpdatePolicy}'s forms ({@code none}, {@code all}, {@code major}, {@code minor}, {@code patch},
 * {@code glob:<pattern>}, {@code force}). Each update taken is an image-only update of the app's newest revision,
 * requested by the image-update actor with the policy as its reason — at once, or once {@code approvals} (when
 * given) have been given before their deadline.
 */
@RegisterForReflection
public record ImageUpdatesSpec(@Required String policy, ApprovalsSpec approvals) {

    /** Updates deployed as soon as the policy takes them, without approvals. */
    public ImageUpdatesSpec(String policy) {
        this(policy, null);
    }

    /** The policy, once the spec is valid. */
    public ImageUpdatePolicy parsedPolicy() {
        return ImageUpdatePolicy.parse(policy).orElseThrow(() -> new IllegalStateException("not a policy: " + policy));
    }
}
