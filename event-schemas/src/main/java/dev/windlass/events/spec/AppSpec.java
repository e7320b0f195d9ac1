package dev.windlass.events.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.windlass.events.ImmutableCopies;
import dev.windlass.events.Required;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one deploy puts on a cluster: a Deployment and Service named after the app, optional Ingress,
 * extra exposed Services, volumes, a Secret for {@code secretEnv}, probes and a NetworkPolicy; and whether the
 * deployer puts the cluster back when someone changes what this revision applied ({@code selfHeal}, off unless set);
 * and which newly pushed images of its repository it takes on its own ({@code imageUpdates}, none unless set).
 *
 * <p>Collections are never null (absent means empty) and are unmodifiable; {@code replicas} defaults to
 * 1. {@link #toString()} never prints {@code secretEnv} values. Validate with {@code SpecValidator}.
 */
@RegisterForReflection
public record AppSpec(
        @Required String name,
        @Required String image,
        Integer replicas,
        @JsonInclude(Include.NON_EMPTY) List<String> command,
        @JsonInclude(Include.NON_EMPTY) List<String> args,
        @JsonInclude(Include.NON_EMPTY) Map<String, String> env,
        @JsonInclude(Include.NON_EMPTY) Map<String, String> secretEnv,
        @JsonInclude(Include.NON_EMPTY) List<PortSpec> ports,
        IngressSpec ingress,
        ResourcesSpec resources,
        @JsonInclude(Include.NON_EMPTY) List<VolumeSpec> volumes,
        ProbesSpec probes,
        NetworkPolicySpec networkPolicy,
        @JsonInclude(Include.NON_EMPTY) Map<String, String> labels,
        @JsonInclude(Include.NON_EMPTY) Map<String, String> annotations,
        SecuritySpec security,
        @JsonInclude(Include.NON_DEFAULT) boolean selfHeal,
        ImageUpdatesSpec imageUpdates) {

    /** Replica count when none is given. */
    public static final int DEFAULT_REPLICAS = 1;

    /** What {@link #toString()} prints instead of a secret value. */
    public static final String MASK = "****";

    public AppSpec {
        replicas = replicas == null ? DEFAULT_REPLICAS : replicas;
        command = ImmutableCopies.list(command);
        args = ImmutableCopies.list(args);
        env = ImmutableCopies.map(env);
        secretEnv = ImmutableCopies.map(secretEnv);
        ports = ImmutableCopies.list(ports);
        volumes = ImmutableCopies.list(volumes);
        labels = ImmutableCopies.map(labels);
        annotations = ImmutableCopies.map(annotations);
    }

    /** A spec without image updates. */
    public AppSpec(
            String name,
            String image,
            Integer replicas,
            List<String> command,
            List<String> args,
            Map<String, String> env,
            Map<String, String> secretEnv,
            List<PortSpec> ports,
            IngressSpec ingress,
            ResourcesSpec resources,
            List<VolumeSpec> volumes,
            ProbesSpec probes,
            NetworkPolicySpec networkPolicy,
            Map<String, String> labels,
            Map<String, String> annotations,
            SecuritySpec security,
            boolean selfHeal) {
        this(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                selfHeal,
                null);
    }

    /** A spec without self-heal. */
    public AppSpec(
            String name,
            String image,
            Integer replicas,
            List<String> command,
            List<String> args,
            Map<String, String> env,
            Map<String, String> secretEnv,
            List<PortSpec> ports,
            IngressSpec ingress,
            ResourcesSpec resources,
            List<VolumeSpec> volumes,
            ProbesSpec probes,
            NetworkPolicySpec networkPolicy,
            Map<String, String> labels,
            Map<String, String> annotations,
            SecuritySpec security) {
        this(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                false);
    }

    /** A spec without {@code security} settings (the defaults every pod gets) and without self-heal. */
    public AppSpec(
            String name,
            String image,
            Integer replicas,
            List<String> command,
            List<String> args,
            Map<String, String> env,
            Map<String, String> secretEnv,
            List<PortSpec> ports,
            IngressSpec ingress,
            ResourcesSpec resources,
            List<VolumeSpec> volumes,
            ProbesSpec probes,
            NetworkPolicySpec networkPolicy,
            Map<String, String> labels,
            Map<String, String> annotations) {
        this(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                null,
                false);
    }

    /** This spec with other secret env values (sealed or opened ones, say); every other field as it is. */
    public AppSpec withSecretEnv(Map<String, String> otherSecretEnv) {
        return new AppSpec(
                name,
                image,
                replicas,
                command,
                args,
                env,
                otherSecretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                selfHeal,
                imageUpdates);
    }

    /** This spec running another image; every other field as it is. */
    public AppSpec withImage(String otherImage) {
        return new AppSpec(
                name,
                otherImage,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                selfHeal,
                imageUpdates);
    }

    /** This spec with self-heal on or off; every other field as it is. */
    public AppSpec withSelfHeal(boolean on) {
        return new AppSpec(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                on,
                imageUpdates);
    }

    /** This spec with other image update settings (null for none); every other field as it is. */
    public AppSpec withImageUpdates(ImageUpdatesSpec other) {
        return new AppSpec(
                name,
                image,
                replicas,
                command,
                args,
                env,
                secretEnv,
                ports,
                ingress,
                resources,
                volumes,
                probes,
                networkPolicy,
                labels,
                annotations,
                security,
                selfHeal,
                other);
    }

    /** The smallest spec: one replica of an image, nothing exposed. */
    public static AppSpec of(String name, String image) {
        return new AppSpec(name, image, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        String maskedSecrets =
                secretEnv.keySet().stream().map(key -> key + "=" + MASK).collect(Collectors.joining(", ", "{", "}"));
        return "AppSpec[name=" + name + ", image=" + image + ", replicas=" + replicas + ", command=" + command
                + ", args=" + args + ", env=" + env + ", secretEnv=" + maskedSecrets + ", ports=" + ports
                + ", ingress=" + ingress + ", resources=" + resources + ", volumes=" + volumes + ", probes="
                + probes + ", networkPolicy=" + networkPolicy + ", labels=" + labels + ", annotations="
                + annotations + ", security=" + security + ", selfHeal=" + selfHeal + ", imageUpdates=" + imageUpdates
                + "]";
    }
}
