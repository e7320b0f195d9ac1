package dev.windlass.events.spec;

import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Whether the app takes newly pushed images of its repository on its own, and which: {@code policy} is one of
 * {@link ImageUpdatePolicy}'s forms ({@code none}, {@code all}, {@code major}, {@code minor}, {@code patch},
 * {@code glob:<pattern>}, {@code force}). Each update taken is an image-only update of the app's newest revision,
 * requested by the image-update actor with the policy as its reason.
 */
@RegisterForReflection
public record ImageUpdatesSpec(@Required String policy) {

    /** The policy, once the spec is valid. */
    public ImageUpdatePolicy parsedPolicy() {
        return ImageUpdatePolicy.parse(policy).orElseThrow(() -> new IllegalStateException("not a policy: " + policy));
    }
}
