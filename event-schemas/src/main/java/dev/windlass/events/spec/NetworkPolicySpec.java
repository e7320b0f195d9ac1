package dev.windlass.events.spec;

import dev.windlass.events.ImmutableCopies;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Lets in only pods of the named apps in the same namespace (plus the ingress controller when the app has
 * an ingress). An empty list admits no other app; no policy at all admits everything.
 */
@RegisterForReflection
public record NetworkPolicySpec(@Required List<String> allowFrom) {

    public NetworkPolicySpec {
        allowFrom = ImmutableCopies.listOrNull(allowFrom);
    }
}
