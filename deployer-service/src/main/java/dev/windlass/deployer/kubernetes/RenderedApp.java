package dev.windlass.deployer.kubernetes;

import dev.windlass.events.deployment.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/** The objects of one revision of an app, in the order they are applied. */
public record RenderedApp(String namespace, String app, int revision, List<HasMetadata> objects) {

    public RenderedApp {
        objects = List.copyOf(objects);
    }

    /** Whether a Service of type LoadBalancer is among the objects. */
    public boolean hasLoadBalancer() {
        return objects.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .anyMatch(s -> "LoadBalancer".equals(s.getSpec().getType()));
    }

    /** Whether these are the objects of revision {@code revision} of app {@code app} in {@code namespace}. */
    public boolean isOf(String namespace, String app, int revision) {
        return this.namespace.equals(namespace) && this.app.equals(app) && this.revision == revision;
    }

    /** References to the objects, in order. */
    public List<ObjectRef> refs() {
        return objects.stream().map(ObjectRefs::of).toList();
    }
}
