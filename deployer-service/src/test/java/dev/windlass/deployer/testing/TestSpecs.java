package dev.windlass.deployer.testing;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.PortSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test apps: small specs that the dev-stack cluster accepts. */
public final class TestSpecs {

    public static final String DEFAULT_IMAGE = "registry.example.com/shop/storefront:1.0.0";
    public static final String UPDATED_IMAGE = "registry.example.com/shop/storefront:1.1.0";
    public static final String SECRET_NAME = "DB_PASSWORD";
    public static final String SECRET_VALUE = "s3cr3t-value-never-shown";

    private TestSpecs() {}

    /** A fresh app name, so tests never share an app. */
    public static String uniqueApp(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One replica of {@link #DEFAULT_IMAGE} with an http port and a secret env value. */
    public static AppSpec spec(String name) {
        return spec(name, DEFAULT_IMAGE);
    }

    public static AppSpec spec(String name, String image) {
        return spec(name, image, List.of(PortSpec.cluster("http", 8080)));
    }

    /** {@link #spec(String)} with other ports. */
    public static AppSpec spec(String name, List<PortSpec> ports) {
        return spec(name, DEFAULT_IMAGE, ports);
    }

    private static AppSpec spec(String name, String image, List<PortSpec> ports) {
        return new AppSpec(
                name,
                image,
                1,
                null,
                null,
                Map.of("LOG_LEVEL", "info"),
                Map.of(SECRET_NAME, SECRET_VALUE),
                ports,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
