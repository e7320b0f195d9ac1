package dev.windlass.events.validation;

import static dev.windlass.events.spec.SpecLimits.MAX_ANNOTATIONS;
import static dev.windlass.events.spec.SpecLimits.MAX_ANNOTATION_VALUE_LENGTH;
import static dev.windlass.events.spec.SpecLimits.MAX_COMMAND_ITEMS;
import static dev.windlass.events.spec.SpecLimits.MAX_COMMAND_ITEM_LENGTH;
import static dev.windlass.events.spec.SpecLimits.MAX_ENV;
import static dev.windlass.events.spec.SpecLimits.MAX_ENV_VALUE_LENGTH;
import static dev.windlass.events.spec.SpecLimits.MAX_LABELS;
import static dev.windlass.events.spec.SpecLimits.MAX_REPLICAS;
import static dev.windlass.events.spec.SpecLimits.MAX_SEALED_SECRET_LENGTH;
import static dev.windlass.events.spec.SpecLimits.MAX_SECRET_ENV;

import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.ApprovalsSpec;
import dev.windlass.events.spec.ImageUpdatePolicy;
import dev.windlass.events.spec.ImageUpdatesSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes-grade checks of an {@link AppSpec}, shared by the event validator and the REST API. Returns
 * violations with paths such as {@code spec.ports[1].containerPort}; never throws for any spec.
 */
public final class SpecValidator {

    /** The path under which a spec's violations are reported by default. */
    public static final String DEFAULT_PATH = "spec";

    /** Prefix of label and annotation keys that Windlass sets itself. */
    public static final String RESERVED_KEY_PREFIX = "windlass.dev/";

    /** Labels that Windlass sets on every object and a spec may not override. */
    public static final Set<String> RESERVED_LABELS = Set.of("app.kubernetes.io/name", "app.kubernetes.io/managed-by");

    private SpecValidator() {}

    /** Checks a spec, reporting under {@code spec}. */
    public static List<Violation> validate(AppSpec spec) {
        return validate(spec, DEFAULT_PATH);
    }

    /** Checks a spec, reporting under {@code path} (empty for a spec that is the whole document). */
    public static List<Violation> validate(AppSpec spec, String path) {
        List<Violation> violations = new ArrayList<>();
        check(spec, new Checker(violations, path));
        return List.copyOf(violations);
    }

    static void check(AppSpec spec, Checker at) {
        if (!at.present(spec)) {
            return;
        }
        at.field("name").name(spec.name(), NameRule.DNS_1035_LABEL);
        Checker image = at.field("image");
        if (image.present(spec.image()) && image.maxLength(spec.image(), ImageReference.MAX_LENGTH)) {
            NameRule.IMAGE.check(spec.image(), image);
        }
        at.field("replicas").range(spec.replicas(), 0, MAX_REPLICAS);
        strings(spec.command(), at.field("command"));
        strings(spec.args(), at.field("args"));
        environment(spec.env(), MAX_ENV, MAX_ENV_VALUE_LENGTH, Map.of(), at.field("env"));
        environment(spec.secretEnv(), MAX_SECRET_ENV, MAX_SEALED_SECRET_LENGTH, spec.env(), at.field("secretEnv"));
        PortRules.check(spec, at);
        ResourceRules.check(spec.resources(), at.field("resources"));
        VolumeRules.check(spec.volumes(), at.field("volumes"));
        ProbeRules.check(spec, at.field("probes"));
        NetworkPolicyRules.check(spec.networkPolicy(), at.field("networkPolicy"));
        SecurityRules.check(spec.security(), at.field("security"));
        labels(spec.labels(), at.field("labels"));
        annotations(spec.annotations(), at.field("annotations"));
        imageUpdates(spec.imageUpdates(), at.field("imageUpdates"));
    }

    private static void imageUpdates(ImageUpdatesSpec updates, Checker at) {
        if (updates == null) {
            return;
        }
        Checker policy = at.field("policy");
        if (policy.present(updates.policy())
                && ImageUpdatePolicy.parse(updates.policy()).isEmpty()) {
            policy.fail(
                    Rules.IMAGE_POLICY,
                    "must be none, all, major, minor, patch, force or glob:<pattern> (1 to 128 of A-Z a-z 0-9 _ . -"
                            + " * ?)");
        }
        approvals(updates.approvals(), at.field("approvals"));
        if (updates.poll() != null) {
            duration(
                    updates.poll(),
                    ImageUpdatesSpec.MIN_POLL,
                    ImageUpdatesSpec.MAX_POLL,
                    "PT10S to P1D",
                    at.field("poll"));
        }
    }

    private static void approvals(ApprovalsSpec approvals, Checker at) {
        if (approvals == null) {
            return;
        }
        Checker count = at.field("count");
        if (count.present(approvals.count())) {
            count.range(approvals.count(), 1, ApprovalsSpec.MAX_COUNT);
        }
        Checker groups = at.field("groups");
        List<String> names = approvals.groups();
        if (names.isEmpty()) {
            groups.fail(Rules.REQUIRED, "is required: the groups whose members may approve");
        }
        groups.maxItems(names.size(), ApprovalsSpec.MAX_GROUPS);
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            Checker group = groups.index(i);
            String name = names.get(i);
            if (group.present(name) && group.maxLength(name, ApprovalsSpec.MAX_GROUP_LENGTH)) {
                if (name.isBlank()) {
                    group.fail(Rules.REQUIRED, "must not be blank");
                } else if (!seen.add(name)) {
                    group.fail(Rules.UNIQUE, "is already listed");
                }
            }
        }
        if (approvals.deadline() != null) {
            duration(
                    approvals.deadline(),
                    ApprovalsSpec.MIN_DEADLINE,
                    ApprovalsSpec.MAX_DEADLINE,
                    "PT1S to P30D",
                    at.field("deadline"));
        }
    }

    /** An ISO-8601 duration of days to seconds, from {@code min} to {@code max} ({@code range} says so). */
    private static void duration(
            String value, java.time.Duration min, java.time.Duration max, String range, Checker at) {
        if (!value.matches(ApprovalsSpec.DURATION_PATTERN)) {
            at.fail(Rules.RANGE, "must be an ISO-8601 duration of days, hours, minutes, seconds (PT24H, P2D)");
            return;
        }
        java.time.Duration duration = java.time.Duration.parse(value);
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            at.fail(Rules.RANGE, "must be from " + range);
        }
    }

    private static void strings(List<String> values, Checker at) {
        at.maxItems(values.size(), MAX_COMMAND_ITEMS);
        for (int i = 0; i < values.size(); i++) {
            Checker item = at.index(i);
            if (item.present(values.get(i))) {
                item.maxLength(values.get(i), MAX_COMMAND_ITEM_LENGTH);
            }
        }
    }

    private static void environment(
            Map<String, String> env, int max, int maxValueLength, Map<String, String> plain, Checker at) {
        at.maxItems(env.size(), max);
        env.forEach((name, value) -> {
            Checker entry = at.field(name);
            entry.name(name, NameRule.ENV_NAME);
            if (name != null && plain.containsKey(name)) {
                entry.fail(Rules.UNIQUE, "is also a plain env variable; a name is either plain or secret");
            }
            if (entry.present(value)) {
                entry.maxLength(value, maxValueLength);
            }
        });
    }

    private static void labels(Map<String, String> labels, Checker at) {
        at.maxItems(labels.size(), MAX_LABELS);
        labels.forEach((key, value) -> {
            Checker entry = at.field(key);
            entry.name(key, NameRule.LABEL_KEY);
            if (key != null && (RESERVED_LABELS.contains(key) || key.startsWith(RESERVED_KEY_PREFIX))) {
                entry.fail(Rules.RESERVED, "is set by Windlass and cannot be overridden");
            }
            entry.name(value, NameRule.LABEL_VALUE);
        });
    }

    private static void annotations(Map<String, String> annotations, Checker at) {
        at.maxItems(annotations.size(), MAX_ANNOTATIONS);
        annotations.forEach((key, value) -> {
            Checker entry = at.field(key);
            entry.name(key, NameRule.LABEL_KEY);
            if (key != null && key.startsWith(RESERVED_KEY_PREFIX)) {
                entry.fail(Rules.RESERVED, "is set by Windlass and cannot be overridden");
            }
            if (entry.present(value)) {
                entry.maxLength(value, MAX_ANNOTATION_VALUE_LENGTH);
            }
        });
    }
}
