package dev.windlass.events.validation;

import dev.windlass.events.deployment.DeploymentRequested;

/** Checks of {@link DeploymentRequested}. */
final class DeploymentRequestedRules implements PayloadRules<DeploymentRequested> {

    @Override
    public void check(DeploymentRequested request, Checker at) {
        at.field("deploymentId").present(request.deploymentId());
        at.field("orchestrator").name(request.orchestrator(), NameRule.DNS_LABEL);
        at.field("namespace").name(request.namespace(), NameRule.DNS_LABEL);
        at.field("app").name(request.app(), NameRule.DNS_1035_LABEL);
        PayloadRules.actor(request.requestedBy(), at.field("requestedBy"));
        at.field("requestedAt").present(request.requestedAt());
        if (request.reason() != null) {
            at.field("reason").maxLength(request.reason(), DeploymentRequested.MAX_REASON_LENGTH);
        }
        Checker spec = at.field("spec");
        Checker targetRevision = at.field("targetRevision");
        Checker image = at.field("image");
        if (!at.field("action").present(request.action())) {
            return;
        }
        switch (request.action()) {
            case APPLY -> {
                SpecValidator.check(request.spec(), spec);
                if (request.spec() != null
                        && request.spec().name() != null
                        && !request.spec().name().equals(request.app())) {
                    spec.field("name").fail(Rules.MISMATCH, "must equal app");
                }
                targetRevision.absent(request.targetRevision(), "for APPLY");
                image.absent(request.image(), "for APPLY; the spec names its image");
            }
            case ROLLBACK -> {
                if (targetRevision.present(request.targetRevision())) {
                    targetRevision.range(request.targetRevision(), 1, Integer.MAX_VALUE);
                }
                spec.absent(request.spec(), "for ROLLBACK; the target revision's spec is used");
                image.absent(request.image(), "for ROLLBACK");
            }
            case UPDATE_IMAGE -> {
                if (image.present(request.image()) && image.maxLength(request.image(), ImageReference.MAX_LENGTH)) {
                    NameRule.IMAGE.check(request.image(), image);
                }
                spec.absent(request.spec(), "for UPDATE_IMAGE; the app's newest revision is used");
                targetRevision.absent(request.targetRevision(), "for UPDATE_IMAGE");
            }
            case DELETE -> {
                spec.absent(request.spec(), "for DELETE");
                targetRevision.absent(request.targetRevision(), "for DELETE");
                image.absent(request.image(), "for DELETE");
            }
        }
    }
}
