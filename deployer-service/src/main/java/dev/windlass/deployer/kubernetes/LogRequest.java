package dev.windlass.deployer.kubernetes;

import java.util.Collection;
import java.util.List;

/**
 * Which log to read: container {@code container} (the Pod's first when null) of {@code pod}, one of the app's Pods
 * in {@code namespace}; its last {@code tailLines} lines, of its previous run when {@code previous}; every value of
 * {@code secretValues} masked.
 */
public record LogRequest(
        String namespace,
        String app,
        String pod,
        String container,
        int tailLines,
        boolean previous,
        Collection<String> secretValues) {

    public LogRequest {
        secretValues = List.copyOf(secretValues);
    }
}
