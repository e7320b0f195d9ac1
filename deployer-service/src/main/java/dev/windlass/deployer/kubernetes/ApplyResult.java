package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import java.util.List;

/** What one apply wrote to the cluster and what it pruned because the revision no longer has it. */
public record ApplyResult(List<ObjectRef> applied, List<ObjectRef> pruned) {

    public ApplyResult {
        applied = List.copyOf(applied);
        pruned = List.copyOf(pruned);
    }
}
