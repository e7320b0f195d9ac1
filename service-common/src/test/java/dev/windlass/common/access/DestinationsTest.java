package dev.windlass.common.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private static final List<Destination> TEAMS = List.of(
            new Destination(List.of("team-a-*", "shop"), List.of("team-a")),
            new Destination(List.of("team-b"), List.of("team-b")));

    @Test
    void aGroupDeploysOnlyToItsOwnNamespaces() {
        assertThat(refusal(Set.of("team-a"), "team-a-web")).isEmpty();
        assertThat(refusal(Set.of("team-a"), "shop")).isEmpty();
        assertThat(refusal(Set.of("team-a"), "team-b"))
                .hasValue("namespace 'team-b' is not a destination of your groups on orchestrator 'prod'");
        assertThat(refusal(Set.of("team-b"), "team-a-web"))
                .hasValue("namespace 'team-a-web' is not a destination of your groups on orchestrator 'prod'");
        assertThat(refusal(Set.of("team-c"), "team-b"))
                .hasValue("none of your groups may deploy on orchestrator 'prod'");
    }

    @Test
    void theReadScopeIsThePatternsOfTheCallersGroups() {
        assertThat(Destinations.patternsOf(TEAMS, Set.of("team-a"))).containsExactly("team-a-*", "shop");
        assertThat(Destinations.patternsOf(TEAMS, Set.of("team-a", "team-b")))
                .containsExactly("team-a-*", "shop", "team-b");
        assertThat(Destinations.patternsOf(TEAMS, Set.of("team-c"))).isEmpty();
    }

    @Test
    void aNamespaceExposesOnlyTheHostsOfTheDestinationsThatCoverIt() {
        List<Destination> hosts = List.of(
                new Destination(
                        List.of("team-a-*"), List.of("team-a"), List.of("*.team-a.example.com", "a.example.org")),
                new Destination(List.of("team-b"), List.of("team-b"), List.of("*.team-b.example.com")),
                new Destination(List.of("lab"), List.of("lab")));
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "shop.team-a.example.com", "prod"))
                .isEmpty();
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "x.y.team-a.example.com", "prod"))
                .isEmpty();
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "A.Example.org", "prod"))
                .isEmpty();
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "team-a.example.com", "prod"))
                .as("the suffix itself is not under it")
                .isPresent();
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "shop.team-b.example.com", "prod"))
                .hasValueSatisfying(r -> {
                    assertThat(r.field()).isEqualTo("spec.ingress.host");
                    assertThat(r.reason())
                            .isEqualTo("host 'shop.team-b.example.com' is not one apps in namespace 'team-a-web' on"
                                    + " orchestrator 'prod' may use (*.team-a.example.com, a.example.org)");
                });
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", "evilteam-a.example.com", "prod"))
                .isPresent();
        assertThat(Destinations.hostRefusal(hosts, "lab", "anything.example.net", "prod"))
                .as("a destination without hosts limits none")
                .isEmpty();
        assertThat(Destinations.hostRefusal(hosts, "team-a-web", null, "prod")).isEmpty();
    }

    @Test
    void hostPatternsAreNamesOrStarDotSuffixes() {
        assertThat(Destinations.hostPatternProblem("*.team-a.example.com")).isEmpty();
        assertThat(Destinations.hostPatternProblem("shop.example.com")).isEmpty();
        assertThat(Destinations.hostPatternProblem("*")).isPresent();
        assertThat(Destinations.hostPatternProblem("*.com")).isPresent();
        assertThat(Destinations.hostPatternProblem("localhost")).isPresent();
        assertThat(Destinations.hostPatternProblem("Shop.Example.com")).isPresent();
        assertThat(Destinations.hostPatternProblem("a.*.example.com")).isPresent();
    }

    @Test
    void clusterNamespacesAndWindlassOwnAreNeverDestinationsEvenForAdmins() {
        List<Destination> everywhere = Destinations.everywhereFor(List.of("ops"));
        assertThat(Destinations.refusal(everywhere, true, Set.of(), "kube-system", "windlass", "prod"))
                .hasValueSatisfying(r -> assertThat(r.reason()).startsWith("namespace 'kube-system' is never"));
        assertThat(Destinations.refusal(everywhere, true, Set.of(), "windlass", "windlass", "prod"))
                .isPresent();
        assertThat(Destinations.refusal(everywhere, true, Set.of(), "anything", "windlass", "prod"))
                .isEmpty();
    }

    @Test
    void defaultIsADestinationOnlyWhereItIsNamed() {
        assertThat(Destinations.refusal(
                        Destinations.everywhereFor(List.of("ops")), false, Set.of("ops"), "default", null, "p"))
                .isPresent();
        assertThat(Destinations.refusal(
                        List.of(new Destination(List.of("*", "default"), List.of("ops"))),
                        false,
                        Set.of("ops"),
                        "default",
                        null,
                        "p"))
                .isEmpty();
        assertThat(Destinations.matches("d*", "default")).isFalse();
    }

    @Test
    void patternsAreNamesPrefixesOrStar() {
        assertThat(Destinations.patternProblem("team-a-*", "windlass")).isEmpty();
        assertThat(Destinations.patternProblem("*", "windlass")).isEmpty();
        assertThat(Destinations.patternProblem("Team", "windlass")).isPresent();
        assertThat(Destinations.patternProblem("a*b", "windlass")).isPresent();
        assertThat(Destinations.patternProblem("kube-system", "windlass"))
                .hasValueSatisfying(r -> assertThat(r).contains("never destinations"));
        assertThat(Destinations.patternProblem("kube-*", "windlass")).isPresent();
        assertThat(Destinations.patternProblem("windlass", "windlass")).isPresent();
    }

    private static java.util.Optional<String> refusal(Set<String> groups, String namespace) {
        return Destinations.refusal(TEAMS, false, groups, namespace, "windlass", "prod")
                .map(Destinations.Refusal::reason);
    }
}
