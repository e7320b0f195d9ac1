package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Converts Kubernetes objects to the {@link ObjectRef}s reported in events. */
final class ObjectRefs {

    private ObjectRefs() {}

    static ObjectRef of(HasMetadata object) {
        return new ObjectRef(
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /** {@code Kind namespace/name}, for messages. */
    static String describe(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return object.getKind() + " " + (namespace == null ? "" : namespace + "/")
                + object.getMetadata().getName();
    }
}
