package dev.windlass.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ports the suite's components listen on come from below the kernel's ephemeral range, where no outgoing
 * connection can take one between the pick and the bind, and are never handed out twice.
 */
class FreePortsTest {

    @Test
    void portsLieBelowTheEphemeralRangeAndAreHandedOutOnce() throws IOException {
        int ephemeralStart = FreePorts.ephemeralRangeStart();
        assertThat(ephemeralStart).isGreaterThan(FreePorts.LOWEST + 1000); // this machine leaves room below it
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(FreePorts.LOWEST, ephemeralStart - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePorts.pick();
        try (ServerSocket listener = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(listener.getLocalPort()).isEqualTo(port);
        }
    }
}
