package dev.windlass.deployer.kubernetes;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.validation.SpecValidator;
import dev.windlass.events.validation.Violation;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Refuses, before any cluster call, what can never be applied: an invalid spec, namespace or revision. */
final class SpecCheck {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private SpecCheck() {}

    static void requireApplicable(String namespace, AppSpec spec, int revision) {
        if (spec == null) {
            throw ClusterException.permanent("invalid application spec: none given");
        }
        requireNamespace(namespace);
        if (revision < 1) {
            throw ClusterException.permanent("invalid revision " + revision + ": revisions start at 1");
        }
        List<Violation> violations = SpecValidator.validate(spec);
        if (!violations.isEmpty()) {
            throw ClusterException.permanent("invalid application spec: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
    }

    static void requireNamespace(String namespace) {
        if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
            throw ClusterException.permanent(
                    "invalid namespace " + namespace + ": must be a DNS label (a-z, 0-9, '-', at most 63)");
        }
    }

    static void requireApp(String app) {
        if (app == null || !DNS_LABEL.matcher(app).matches()) {
            throw ClusterException.permanent("invalid app name " + app + ": must be a DNS label");
        }
    }
}
