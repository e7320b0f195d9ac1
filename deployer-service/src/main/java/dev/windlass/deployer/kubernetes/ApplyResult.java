package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import java.util.List;

/**
 * What one apply wrote to the cluster, what it pruned because the revision no longer has it, and the fields it took
 * over from other field managers (the API server's conflict messages, one per object).
 */
public record ApplyResult(List<ObjectRef> applied, List<ObjectRef> pruned, List<String> takenOver) {

    public ApplyResult {
        applied = List.copyOf(applied);
        pruned = List.copyOf(pruned);
        takenOver = List.copyOf(takenOver);
    }

    /** A result that took nothing over. */
    public ApplyResult(List<ObjectRef> applied, List<ObjectRef> pruned) {
        this(applied, pruned, List.of());
    }
}
