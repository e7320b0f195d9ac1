package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseLogTest {

    @Test
    void keepsMessagesWithinTheStatusEventsLimit() {
        assertThat(PhaseLog.fit("revision 2 applied")).isEqualTo("revision 2 applied");
        assertThat(PhaseLog.fit("x".repeat(10_000)))
                .hasSize(PhaseLog.MAX_MESSAGE_LENGTH)
                .endsWith("…");
        assertThat(PhaseLog.fit(" ")).isEqualTo("(no message)");
        assertThat(PhaseLog.fit(null)).isEqualTo("(no message)");
    }
}
