package dev.windlass.deployer.service;

import dev.windlass.common.vertx.ContextRunner;
import dev.windlass.deployer.domain.AppRef;
import dev.windlass.deployer.domain.DeploymentState;
import dev.windlass.deployer.domain.PendingImageUpdate;
import dev.windlass.deployer.service.QueryService.ImageUpdateCandidate;
import dev.windlass.events.deployment.DeploymentAction;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.ApprovalsSpec;
import dev.windlass.events.spec.ImageUpdatePolicy;
import dev.windlass.events.validation.ImageReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keel-style image updates: when an image is pushed to a repository, every app whose newest revision runs an image
 * of that repository and has an image update policy ({@code spec.imageUpdates}) is asked whether the policy takes the
 * pushed tag; each app that takes it gets an image-only update of its newest revision, requested by the image-update
 * actor with the policy as its reason, and carried out like every deploy (order per app, exactly once).
 *
 * <p>The image an app runs, for the policy's comparison, is the image of its newest image update while that one has
 * not failed (it may not have made its revision yet), else its newest revision's. Undeployed apps take nothing.
 * Replicas told of one push make one update per app: the request's Idempotency-Key is the app, its revision and the
 * image. An app whose spec asks for approvals gets its update once they are given ({@link ImageApprovals}).
 */
@ApplicationScoped
public class ImageUpdates {

    /**
     * Who updates: a system actor that acts only for apps whose newest revision asks for image updates, and changes
     * nothing but their image. Admin rights because that revision was already authorized when it was made.
     */
    public static final Caller ACTOR =
            new Caller("system:windlass-image-updates", "windlass-image-updates", Set.of(), true);

    private static final Logger LOG = Logger.getLogger(ImageUpdates.class);

    private final QueryService queries;
    private final RequestService requests;
    private final ImageApprovals approvals;
    private final ContextRunner runner;
    private final Counter updating;
    private final Counter awaiting;
    private final Counter notTaken;

    public ImageUpdates(
            QueryService queries,
            RequestService requests,
            ImageApprovals approvals,
            ContextRunner runner,
            MeterRegistry meters) {
        this.queries = queries;
        this.requests = requests;
        this.approvals = approvals;
        this.runner = runner;
        this.updating = counter(meters, "updating");
        this.awaiting = counter(meters, "awaiting-approval");
        this.notTaken = counter(meters, "not-taken");
    }

    /** An image pushed: {@code tag} of {@code repository} on {@code registry} (a host), with its digest if known. */
    public record Push(String registry, String repository, String tag, String digest) {

        /** The pushed image as a reference. */
        public String image() {
            return registry + "/" + repository + ":" + tag + (digest == null ? "" : "@" + digest);
        }
    }

    /** What one app made of a push. */
    public enum Outcome {
        /** Its policy took the image: an image update was requested (or had been, for this push, already). */
        UPDATING,
        /** Its policy took the image, and the update waits for the approvals the spec asks for. */
        AWAITING_APPROVAL,
        /** Its policy did not take the image. */
        NOT_TAKEN
    }

    /** One app's answer to a push; {@code image} and {@code deployment} when it updates. */
    public record Result(AppRef app, String policy, Outcome outcome, String image, UUID deployment) {}

    /** Asks every app running an image of the pushed repository; what each made of it. */
    public Uni<List<Result>> pushed(Push push) {
        return runner.onNewContext(queries::imageUpdateCandidates)
                .onItem()
                .transformToMulti(candidates -> Multi.createFrom().iterable(candidates))
                .filter(candidate -> running(candidate)
                        .map(image -> image.isFrom(push.registry(), push.repository()))
                        .orElse(false))
                .onItem()
                .transformToUniAndConcatenate(candidate -> offer(candidate, push))
                .collect()
                .asList();
    }

    /** Asks one app's policy whether it takes {@code push}; updates it, or has the update wait, when it does. */
    Uni<Result> offer(ImageUpdateCandidate candidate, Push push) {
        AppRef ref = candidate.app();
        ImageUpdatePolicy policy = candidate.spec().imageUpdates().parsedPolicy();
        Optional<String> next = policy.update(running(candidate).orElseThrow(), push.tag(), push.digest());
        if (next.isEmpty()) {
            notTaken.increment();
            LOG.debugf("image update policy %s of %s does not take %s", policy.text(), ref.key(), push.image());
            return Uni.createFrom().item(new Result(ref, policy.text(), Outcome.NOT_TAKEN, null, null));
        }
        String image = next.get();
        String reason = reason(policy, push);
        ApprovalsSpec approvalsSpec = candidate.spec().imageUpdates().approvals();
        if (approvalsSpec != null) {
            return approvals
                    .await(ref, candidate.revision(), image, policy.text(), reason, approvalsSpec)
                    .map(update -> {
                        // the same push told again finds the update it made, whatever became of it since
                        if (update.status != PendingImageUpdate.Status.PENDING) {
                            return new Result(ref, policy.text(), Outcome.NOT_TAKEN, image, update.deploymentId);
                        }
                        awaiting.increment();
                        return new Result(ref, policy.text(), Outcome.AWAITING_APPROVAL, image, null);
                    });
        }
        String key = "image-update/" + candidate.revision() + "/" + sha256(ref.key() + " " + image);
        return runner.onNewContext(() -> requests.updateImage(
                        ACTOR, ref.orchestratorRef(), ref.namespace(), ref.app(), image, key, reason))
                .map(submitted -> {
                    if (submitted.created()) {
                        updating.increment();
                        LOG.infof(
                                "%s: updating %s to %s as deployment %s",
                                reason, ref.key(), image, submitted.deployment().id);
                    }
                    return new Result(ref, policy.text(), Outcome.UPDATING, image, submitted.deployment().id);
                })
                // undeployed or gone since the candidates were read: nothing to update
                .onFailure(NotFoundException.class)
                .recoverWithItem(() -> new Result(ref, policy.text(), Outcome.NOT_TAKEN, null, null));
    }

    /** The image the app runs for its policy: its newest image update's while that has not failed, else its spec's. */
    static Optional<ImageReference> running(ImageUpdateCandidate candidate) {
        var latest = candidate.latest();
        String image = latest.action == DeploymentAction.UPDATE_IMAGE
                        && latest.phase != DeploymentState.FAILED
                        && latest.image != null
                ? latest.image
                : candidate.spec().image();
        return ImageReference.parse(image);
    }

    private static String reason(ImageUpdatePolicy policy, Push push) {
        String reason = "image update policy " + policy.text() + " took " + push.image();
        return reason.length() <= DeploymentRequested.MAX_REASON_LENGTH
                ? reason
                : reason.substring(0, DeploymentRequested.MAX_REASON_LENGTH - 1) + "…";
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("windlass.image.updates")
                .description("Apps told of a pushed image of their repository, by what their policy made of it")
                .tag("outcome", outcome)
                .register(meters);
    }
}
