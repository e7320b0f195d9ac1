package dev.windlass.deployer.config;

import dev.windlass.deployer.trust.SealingKeyType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The deployer's own settings, under {@code windlass.deployer}. */
@ConfigMapping(prefix = "windlass.deployer")
public interface DeployerConfig {

    /** Base URL of the registry service, which serves orchestrator connection material on {@code /internal}. */
    @WithDefault("http://127.0.0.1:8081")
    String registryUrl();

    /** How long fetched connection material is reused before asking the registry again. */
    @WithDefault("PT30S")
    Duration connectionCacheTtl();

    /**
     * How long consumed event ids are remembered; keep it longer than the requests topic's retention, so that no
     * redelivery can outlive its id.
     */
    @WithDefault("P14D")
    Duration processedEventsRetention();

    /**
     * Windlass's own namespace on the clusters it runs on (the chart sets its release namespace): never a destination
     * of a deploy, admins' included. Unset when Windlass runs outside a cluster.
     */
    Optional<String> ownNamespace();

    /** Applying objects to a cluster. */
    Apply apply();

    /** Following a rollout after a successful apply. */
    Rollout rollout();

    /** Publishing the outbox to Kafka. */
    Outbox outbox();

    /** Picking up deployments whose work was cut short. */
    Sweep sweep();

    /** Putting back apps whose newest revision asks for self-heal when the cluster drifts from it. */
    SelfHeal selfHeal();

    /** Following deployed apps' health and publishing its changes. */
    AppHealth appHealth();

    /** Image updates taken from registries' webhooks. */
    ImageUpdates imageUpdates();

    /** The REST API. */
    Api api();

    /** Sealing secret env values at rest. */
    Secrets secrets();

    /** Sealing secret values in events (JWE) and who may send deploy requests on Kafka. */
    Sealing sealing();

    /** Ingress hosts. */
    Hosts hosts();

    /** Retries of applies and deletes that fail for a transient reason. */
    interface Apply {

        /** Attempts in all, the first included, before a transient failure counts as FAILED. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait before the first retry; doubles up to {@link #maxBackoff()}. */
        @WithDefault("PT1S")
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("PT30S")
        Duration maxBackoff();
    }

    /** Rollout tracking. */
    interface Rollout {

        /** How long a rollout may take after its apply before it counts as FAILED. */
        @WithDefault("PT10M")
        Duration deadline();

        /** How often a rollout whose watch failed for a transient reason is followed again, at most. */
        @WithDefault("5")
        int maxResubscriptions();
    }

    /**
     * The recovery sweep: now and then, unfinished deployments with no work under way (a state change given up
     * after every retry, a rollout result not recorded) are taken up again, as at startup.
     */
    interface Sweep {

        /** How often the sweep runs; zero turns it off. */
        @WithDefault("PT1M")
        Duration interval();

        /** How long a deployment must have stood still, with nothing under way for it, before the sweep takes it up. */
        @WithDefault("PT2M")
        Duration stuckAfter();

        /**
         * How long a deployment the API stored may stay PENDING once its request has left the outbox (or was
         * quarantined there) before the sweep ends it FAILED: the request was refused or lost on its way.
         */
        @WithDefault("PT15M")
        Duration pendingAfter();
    }

    /**
     * Self-heal: now and then, each app whose newest revision has {@code selfHeal: true} and succeeded is compared
     * with the cluster (the drift check of its status); when the cluster differs, the revision is applied again as a
     * new revision by the self-heal actor, at most once per app per {@link #minInterval()}.
     */
    interface ImageUpdates {

        /**
         * The secret registries prove on {@code POST /hooks/images/{format}} (a bearer token, GitHub's signature key,
         * or Docker Hub's token parameter); unset turns the webhooks off (404). Give it at least 32 random characters.
         */
        Optional<String> webhookSecret();

        /** How often image updates waiting for approvals past their deadline are marked expired; zero turns it off. */
        @WithDefault("PT30S")
        Duration approvalSweepInterval();

        /**
         * How often each replica looks for apps whose registry poll ({@code spec.imageUpdates.poll}) is due; zero
         * turns polling off. An app is polled at most this much later than its interval asks.
         */
        @WithDefault("PT5S")
        Duration pollTick();

        /** Tags asked for per page of a registry's tag list; pages are followed by their {@code Link} headers. */
        @WithDefault("1000")
        int pollPageSize();
    }

    interface SelfHeal {

        /** How often apps with self-heal are compared with their clusters; zero turns self-heal off. */
        @WithDefault("PT1M")
        Duration interval();

        /** The least time between two heals of one app: a fight with another controller does not become a loop. */
        @WithDefault("PT5M")
        Duration minInterval();
    }

    /**
     * Health events ({@code windlass.app.health.v1}): every replica follows every deployed app through the informers
     * it shares per orchestrator and namespace, reads an app's health again after its Deployments or Pods change, and
     * publishes a change of it once (see docs/events.md, {@code AppHealthChanged}).
     */
    interface AppHealth {

        /** Whether this replica follows deployed apps' health and publishes its changes. */
        @WithDefault("true")
        boolean enabled();

        /** How often the apps followed are brought in line with the deployed ones (new apps, undeployed apps). */
        @WithDefault("PT15S")
        Duration refresh();

        /** How long an app's changes are gathered before its health is read again. */
        @WithDefault("PT1S")
        Duration settle();

        /** The most health reads under way at once on this replica (a burst of deploys waits its turn). */
        @WithDefault("4")
        int concurrency();
    }

    /** Outbox relay. */
    interface Outbox {

        /** How often the relay looks for unpublished rows. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /** Most rows published per relay run. */
        @WithDefault("200")
        int batchSize();

        /** How long one record may wait for the broker's acknowledgement before the run gives up on it. */
        @WithDefault("PT15S")
        Duration sendTimeout();

        /**
         * Failed attempts after which a row that cannot be published (its payload does not open, the broker refuses
         * the record itself) is quarantined. Broker outages count no attempts.
         */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after a row's first failed attempt; doubled after each further one, up to a minute. */
        @WithDefault("PT1S")
        Duration retryBackoff();
    }

    /** REST API limits. */
    interface Api {

        /** Page size when none is asked for. */
        @WithDefault("20")
        int defaultPageSize();

        /** Largest page size accepted. */
        @WithDefault("100")
        int maxPageSize();

        /** How often an event stream looks for new phases of its deployment. */
        @WithDefault("PT0.5S")
        Duration streamPollInterval();

        /** Event streams one caller may hold open at once on one replica; another one is answered 429. */
        @WithDefault("10")
        int maxStreamsPerCaller();

        /** How long an event stream stays open at most; the client reconnects and gets the phases so far again. */
        @WithDefault("PT10M")
        Duration maxStreamAge();
    }

    /** AES-256-GCM keys for secret env values and outbox payloads. */
    interface Secrets {

        /** Id of the key that seals new values; it must be one of {@link #keys()}. */
        String activeKeyId();

        /** Base64 of 32-byte keys by id; older ids stay here so that values sealed with them can be read. */
        Map<String, String> keys();
    }

    /** The key pairs secret values are sealed to on Kafka. */
    interface Sealing {

        /**
         * Whether a secret value may arrive on the requests topic in the clear. Dev only: a plaintext value sits in
         * the topic for as long as the topic keeps records.
         */
        @WithDefault("false")
        boolean allowPlaintext();

        /**
         * How long a key still opens values once a newer key took over: at least as long as the requests topic keeps
         * records, so that no record still waiting needs a deleted key.
         */
        @WithDefault("P14D")
        Duration retiredKeyRetention();

        /** How often a replica reads the keys again (another replica may have rotated them). */
        @WithDefault("PT1M")
        Duration refreshInterval();

        /**
         * The kind of key made from now on: the first key and each rotation ({@code x25519}, {@code p-256},
         * {@code rsa-2048}). Keys already made keep their kind and open what was sealed to them; a change takes effect
         * with the next rotation.
         */
        @WithDefault("x25519")
        SealingKeyType keyType();
    }

    /** Ingress hosts: each belongs to one app per orchestrator. */
    interface Hosts {

        /**
         * Hosts no app may have: Windlass's own public hosts (the gateway's, the identity provider's). Exact names,
         * compared without case.
         */
        java.util.Optional<java.util.List<String>> reserved();
    }
}
