package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThatCode(() -> AccessPolicy.requireMayDeploy(caller(false, "windlass-deployers", "team-b"), TEAM))
                .doesNotThrowAnyException();
    }

    @Test
    void othersMayNot() {
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(false, "windlass-deployers"), TEAM))
                .isInstanceOf(NotAllowedException.class)
                .hasMessage("none of your groups may deploy on orchestrator 'prod'");
        assertThatThrownBy(() -> AccessPolicy.requireMayDeploy(caller(false, "team-a"), ADMINS_ONLY))
                .hasMessageContaining("admins only");
    }

    @Test
    void adminsMayAlways() {
        assertThatCode(() -> AccessPolicy.requireMayDeploy(caller(true), ADMINS_ONLY))
                .doesNotThrowAnyException();
    }

    private static Caller caller(boolean admin, String... groups) {
        return new Caller("sub", "user", Set.of(groups), admin);
    }

    private static ClusterConnection orchestrator(List<String> groups) {
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
                1);
    }
}
