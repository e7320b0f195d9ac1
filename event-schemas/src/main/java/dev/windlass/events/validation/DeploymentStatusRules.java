package dev.windlass.events.validation;

import dev.windlass.events.deployment.DeploymentStatusChanged;
import dev.windlass.events.deployment.ObjectRef;

/** Checks of {@link DeploymentStatusChanged}. */
final class DeploymentStatusRules implements PayloadRules<DeploymentStatusChanged> {

    /** Longest status message. */
    static final int MAX_MESSAGE_LENGTH = 4096;

    /** Most object references in one status event. */
    static final int MAX_OBJECTS = 500;

    @Override
    public void check(DeploymentStatusChanged status, Checker at) {
        at.field("deploymentId").present(status.deploymentId());
        at.field("orchestrator").name(status.orchestrator(), NameRule.DNS_LABEL);
        at.field("namespace").name(status.namespace(), NameRule.DNS_LABEL);
        at.field("app").name(status.app(), NameRule.DNS_1035_LABEL);
        at.field("phase").present(status.phase());
        Checker message = at.field("message");
        if (message.present(status.message())) {
            message.maxLength(status.message(), MAX_MESSAGE_LENGTH);
        }
        at.field("revision").range(status.revision(), 1, Integer.MAX_VALUE);
        Checker objects = at.field("objects");
        objects.maxItems(status.objects().size(), MAX_OBJECTS);
        for (int i = 0; i < status.objects().size(); i++) {
            ObjectRef object = status.objects().get(i);
            Checker item = objects.index(i);
            if (item.present(object)) {
                item.field("kind").name(object.kind(), NameRule.KIND);
                if (object.namespace() != null) {
                    NameRule.DNS_LABEL.check(object.namespace(), item.field("namespace"));
                }
                item.field("name").name(object.name(), NameRule.DNS_SUBDOMAIN);
            }
        }
        at.field("occurredAt").present(status.occurredAt());
    }
}
