package dev.windlass.events.validation;

import dev.windlass.events.spec.SecuritySpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Capabilities given back: each once, from the set Pod Security allows at the chosen level. */
final class SecurityRules {

    private SecurityRules() {}

    static void check(SecuritySpec security, Checker at) {
        if (security == null) {
            return;
        }
        Checker list = at.field("addCapabilities");
        List<String> capabilities = security.addCapabilities();
        list.maxItems(capabilities.size(), SecuritySpec.BASELINE_CAPABILITIES.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < capabilities.size(); i++) {
            Checker capability = list.index(i);
            String name = capabilities.get(i);
            if (!capability.present(name)) {
                continue;
            }
            if (!SecuritySpec.BASELINE_CAPABILITIES.contains(name)) {
                capability.fail(
                        Rules.FORBIDDEN,
                        "is not one Pod Security's baseline level allows: "
                                + String.join(
                                        ", ",
                                        SecuritySpec.BASELINE_CAPABILITIES.stream()
                                                .sorted()
                                                .toList()));
            } else if (security.isRestricted() && !SecuritySpec.RESTRICTED_CAPABILITY.equals(name)) {
                capability.fail(
                        Rules.FORBIDDEN,
                        "is not allowed with restricted: true (only " + SecuritySpec.RESTRICTED_CAPABILITY + ")");
            }
            if (!seen.add(name)) {
                capability.fail(Rules.UNIQUE, "is already listed");
            }
        }
    }
}
