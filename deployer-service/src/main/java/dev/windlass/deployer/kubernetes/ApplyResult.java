package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import java.util.List;

/** The objects one apply created or changed, and the ones it pruned. */
public record ApplyResult(List<ObjectRef> applied, List<ObjectRef> pruned) {}
