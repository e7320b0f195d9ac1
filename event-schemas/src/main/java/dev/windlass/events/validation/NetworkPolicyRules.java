package dev.windlass.events.validation;

import dev.windlass.events.spec.NetworkPolicySpec;
import dev.windlass.events.spec.SpecLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The apps a network policy admits: app names, each once. */
final class NetworkPolicyRules {

    private NetworkPolicyRules() {}

    static void check(NetworkPolicySpec policy, Checker at) {
        if (policy == null) {
            return;
        }
        Checker list = at.field("allowFrom");
        List<String> peers = policy.allowFrom();
        if (!list.present(peers)) {
            return;
        }
        list.maxItems(peers.size(), SpecLimits.MAX_ALLOWED_PEERS);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < peers.size(); i++) {
            Checker peer = list.index(i);
            peer.name(peers.get(i), NameRule.DNS_1035_LABEL);
            if (peers.get(i) != null && !seen.add(peers.get(i))) {
                peer.fail(Rules.UNIQUE, "is already listed");
            }
        }
    }
}
