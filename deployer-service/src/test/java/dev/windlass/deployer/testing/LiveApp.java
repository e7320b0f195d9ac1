package dev.windlass.deployer.testing;

import dev.windlass.devstack.DevStack;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** What the dev-stack cluster holds of an app, read as its admin. */
public final class LiveApp {

    private LiveApp() {}

    /** The image of the app Deployment's first container. */
    public static String image(String namespace, String app) {
        return DevStack.kube().deploymentImage(namespace, app);
    }

    /** The decoded values of secret env {@code name} in the app's Secrets. */
    public static List<String> secretValues(String namespace, String app, String name) {
        return cluster()
                .secrets()
                .inNamespace(namespace)
                .withLabel("app.kubernetes.io/name", app)
                .list()
                .getItems()
                .stream()
                .map(Secret::getData)
                .filter(data -> data != null && data.containsKey(name))
                .map(data -> new String(Base64.getDecoder().decode(data.get(name)), StandardCharsets.UTF_8))
                .toList();
    }

    private static KubernetesClient cluster() {
        return DevStack.kube().adminClient();
    }
}
