package dev.windlass.devstack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A set of CRDs (and what else their YAML holds) that tests install on, and remove from, the dev-stack API server,
 * waiting each time until the API server serves, or no longer serves, their kinds.
 *
 * @param yaml class-path resource holding the objects
 * @param names the CRDs' names
 * @param apiVersion group/version of the kinds
 * @param kinds the kinds the CRDs define
 */
public record Crds(String yaml, List<String> names, String apiVersion, List<String> kinds) {

    /**
     * Traefik's Middleware ({@code traefik.io/v1alpha1}) as k3s's bundled Traefik installs it, reduced to the
     * forwardAuth fields Windlass writes; no Traefik runs.
     */
    public static final Crds TRAEFIK = new Crds(
            "/dev/windlass/devstack/crds/traefik.yaml",
            List.of("middlewares.traefik.io"),
            "traefik.io/v1alpha1",
            List.of("Middleware"));

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Applies the objects and waits until the API server serves every kind. */
    public void install(KubernetesClient admin) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(yaml.substring(1))) {
            if (in == null) {
                throw new IllegalStateException("no " + yaml + " on the class path");
            }
            for (HasMetadata item : admin.load(in).items()) {
                admin.resource(item)
                        .fieldManager("windlass-tests")
                        .forceConflicts()
                        .serverSideApply();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await(
                "the API server serving " + kinds,
                () -> names.stream().allMatch(name -> established(admin, name))
                        && kinds.stream().allMatch(kind -> admin.supports(apiVersion, kind)));
    }

    /** Deletes the CRDs (and with them every object of their kinds) and waits until they are gone. */
    public void remove(KubernetesClient admin) {
        names.forEach(name -> admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .delete());
        await(
                "the API server no longer serving " + kinds,
                () -> names.stream().allMatch(name -> crd(admin, name) == null)
                        && kinds.stream().noneMatch(kind -> admin.supports(apiVersion, kind)));
    }

    private static boolean established(KubernetesClient admin, String name) {
        CustomResourceDefinition crd = crd(admin, name);
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static CustomResourceDefinition crd(KubernetesClient admin, String name) {
        return admin.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(name)
                .get();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + WAIT);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }
}
