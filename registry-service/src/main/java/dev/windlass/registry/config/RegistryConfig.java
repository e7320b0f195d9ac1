package dev.windlass.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Configuration of the registry service ({@code windlass.registry.*}). */
@ConfigMapping(prefix = "windlass.registry")
public interface RegistryConfig {

    /** Accept {@code http://} API server URLs (plain text credentials on the wire: lab use only). */
    @WithDefault("false")
    boolean allowInsecureHttp();

    /** Accept {@code skipTlsVerify} on orchestrators of the {@code prod} environment. */
    @WithDefault("false")
    boolean allowSkipTlsVerifyInProd();

    /** Base URL of the deployer, which says on {@code /internal} which apps an orchestrator still has. */
    @WithDefault("http://127.0.0.1:8082")
    String deployerUrl();

    /** The largest page size a list request may ask for. */
    @WithDefault("100")
    int maxPageSize();

    /** Change streams ({@code GET /api/orchestrators/changes}) one caller may hold open at once on one replica. */
    @WithDefault("10")
    int maxStreamsPerCaller();

    /** How long a change stream stays open at most; the client reconnects (and reads the list again). */
    @WithDefault("PT10M")
    Duration maxStreamAge();

    /** Encryption of stored credentials. */
    Encryption encryption();

    /** Connection checks against the orchestrators' API servers. */
    ConnectionCheck connectionCheck();

    /** The transactional outbox and its relay to Kafka. */
    Outbox outbox();

    /** Deleting an orchestrator that still has apps. */
    Deletion deletion();

    /** Deletions: the deployer is asked which apps an orchestrator has, and undeploys them on a cascade. */
    interface Deletion {

        /**
         * How often an orchestrator whose apps are being undeployed before it is deleted is looked at again (a
         * Quarkus scheduler period).
         */
        @WithDefault("5s")
        String pollInterval();
    }

    /** Keys for AES-256-GCM encryption of credentials. */
    interface Encryption {

        /** Id of the key new values are encrypted with; must be one of {@link #keys()}. */
        String activeKeyId();

        /** Every key that may still be needed for decryption: id to base64 of 32 random bytes. */
        Map<String, String> keys();
    }

    /** Connection check timeouts and the periodic re-check. */
    interface ConnectionCheck {

        /** How long to wait for a TCP and TLS connection to an API server. */
        @WithDefault("3s")
        Duration connectTimeout();

        /** How long to wait for one API server request. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** How often every orchestrator is checked again (a Quarkus scheduler period, or {@code off}). */
        @WithDefault("60s")
        String interval();

        /** How many orchestrators a periodic re-check tests at the same time. */
        @WithDefault("4")
        int concurrency();

        /** How long before a token or client certificate expires the connection status starts to warn. */
        @WithDefault("P7D")
        Duration expiryWarning();

        /** Where a K3S orchestrator's MetalLB pool lives, checked for the deployer's MetalLB rights. */
        @WithDefault("metallb-system")
        String metallbNamespace();

        /**
         * Where IN_CLUSTER orchestrators read the pod's ServiceAccount (token, ca.crt, namespace); the API server's
         * address comes from KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT.
         */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount")
        java.nio.file.Path serviceAccountDirectory();
    }

    /** Outbox relay settings. */
    interface Outbox {

        /** How often the relay looks for unpublished events (a Quarkus scheduler period). */
        @WithDefault("1s")
        String pollInterval();

        /** How many events one relay pass publishes at most. */
        @WithDefault("100")
        int batchSize();

        /** How long the relay waits for the broker's acknowledgement of a batch before it tries again later. */
        @WithDefault("10s")
        Duration sendTimeout();

        /** How long published events stay in the outbox table before they are purged. */
        @WithDefault("7d")
        Duration retention();
    }
}
