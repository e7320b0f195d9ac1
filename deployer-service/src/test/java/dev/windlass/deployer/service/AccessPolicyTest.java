package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windlass.common.access.Destination;
import dev.windlass.deployer.kubernetes.ClusterConnection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final ClusterConnection TEAM = orchestrator(List.of("team-a", "team-b"));
    private static final ClusterConnection ADMINS_ONLY = orchestrator(List.of());

    @Test
    void membersOfAnAllowedGroupMayDeploy() {
        assertThatCode(() -> AccessPolicy.requireMayDeploy(
                        caller(false, "windlass-deployers", "team-b"), TEAM, "shop", "windlass"))
                .doesNotThrowAnyException();
    }

    @Test
    void othersMayNot() {
        assertThatThrownBy(() ->
                        AccessPolicy.requireMayDeploy(caller(false, "windlass-deployers"), TEAM, "shop", "windlass"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessage("none of your groups may deploy on orchestrator 'prod'");
        assertThatThrownBy(
                        () -> AccessPolicy.requireMayDeploy(caller(false, "team-a"), ADMINS_ONLY, "shop", "windlass"))
                .hasMessageContaining("admins only");
    }

    @Test
    void adminsMayAlways() {
        assertThatCode(() -> AccessPolicy.requireMayDeploy(caller(true), ADMINS_ONLY, "shop", "windlass"))
                .doesNotThrowAnyException();
    }

    @Test
    void aTeamDeploysOnlyIntoItsDestinations() {
        ClusterConnection shared = orchestrator(
                List.of("team-a", "team-b"),
                List.of(
                        new Destination(List.of("team-a-*"), List.of("team-a")),
                        new Destination(List.of("team-b"), List.of("team-b"))));

        assertThatCode(() -> AccessPolicy.requireMayDeploy(caller(false, "team-a"), shared, "team-a-web", null))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(false, "team-b"), shared, "team-a-web", null))
                .isInstanceOf(NotAllowedException.class)
                .hasMessage("namespace 'team-a-web' is not a destination of your groups on orchestrator 'prod'");
    }

    @Test
    void clusterNamespacesWindlassOwnAndUnlistedDefaultAreRefused() {
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(true), TEAM, "kube-system", "windlass"))
                .hasMessageStartingWith("namespace 'kube-system' is never a destination");
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(true), TEAM, "windlass", "windlass"))
                .hasMessageStartingWith("namespace 'windlass' is never a destination");
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(false, "team-a"), TEAM, "default", "windlass"))
                .hasMessage("namespace 'default' is not a destination of your groups on orchestrator 'prod'");
    }

    private static Caller caller(boolean admin, String... groups) {
        return new Caller("sub", "user", Set.of(groups), admin);
    }

    private static ClusterConnection orchestrator(List<String> groups) {
        return orchestrator(groups, null);
    }

    private static ClusterConnection orchestrator(List<String> groups, List<Destination> destinations) {
        return new ClusterConnection(
                UUID.randomUUID(),
                "prod",
                "K3S",
                "prod",
                "https://k8s.example.com:6443",
                "TOKEN",
                "t",
                null,
                null,
                null,
                false,
                null,
                "default",
                groups,
                1,
                destinations,
                null);
    }
}
