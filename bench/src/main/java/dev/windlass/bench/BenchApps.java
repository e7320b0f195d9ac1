package dev.windlass.bench;

import dev.windlass.deployer.kubernetes.ObjectRenderer;
import dev.windlass.deployer.kubernetes.RenderedApp;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.IngressSpec;
import dev.windlass.events.spec.NetworkPolicySpec;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apps the deploy benchmarks deploy: specs of 4, 5 or 6 objects (Deployment, Service, Secret and
 * NetworkPolicy; every second app an Ingress; every third a PersistentVolumeClaim) spread over
 * {@value #NAMESPACES} namespaces.
 */
public final class BenchApps {

    /** Namespaces the apps are spread over. */
    public static final int NAMESPACES = 10;

    private static final ObjectRenderer RENDERER = ObjectRenderer.defaults();

    private BenchApps() {}

    /** One app to deploy. */
    public record App(String namespace, AppSpec spec) {

        public String name() {
            return spec.name();
        }

        /** The objects the deployer renders for it, at revision 1. */
        public RenderedApp rendered() {
            return RENDERER.render(namespace, spec, 1);
        }
    }

    /** The namespace of the {@code i}-th app. */
    public static String namespace(int i) {
        return "bench-" + (i % NAMESPACES);
    }

    /** {@code count} apps named {@code <prefix>-<i>}. */
    public static List<App> apps(String prefix, int count) {
        List<App> apps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            apps.add(new App(namespace(i), spec(prefix + "-" + i, i)));
        }
        return apps;
    }

    /** The spec of the {@code i}-th app. */
    public static AppSpec spec(String name, int i) {
        boolean ingress = i % 2 == 0;
        boolean volume = i % 3 == 0;
        List<PortSpec> ports = List.of(new PortSpec("http", 8080, null, ingress ? Exposure.INGRESS : null, null));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LOG_LEVEL", "info");
        env.put("APP_INDEX", Integer.toString(i));
        return new AppSpec(
                name,
                "registry.example.com/bench/" + name + ":1." + i,
                1,
                List.of(),
                List.of(),
                env,
                Map.of("API_KEY", "bench-not-a-secret-" + i),
                ports,
                ingress ? new IngressSpec(name + ".bench.example.com", "/", null, null, false) : null,
                null,
                volume ? List.of(new VolumeSpec("data", "/var/lib/" + name, "1Gi", null)) : List.of(),
                null,
                new NetworkPolicySpec(List.of("frontend")),
                Map.of(),
                Map.of());
    }
}
