package dev.windlass.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.168.1.240-192.168.1.250",
                "10.0.0.1-10.0.0.1",
                "192.168.1.240 - 192.168.1.250",
                "192.168.1.240/28",
                "10.0.0.0/8",
                "fd00::/64",
                "fd00::10-fd00::20"
            })
    void accepts(String range) {
        assertThat(IpRanges.check("metalLbIpRange", range)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.9-10.0.0.1, ip-range-order",
        "10.0.0.1-fd00::1, ip-range-invalid",
        "192.168.1.241/28, ip-range-invalid",
        "10.0.0.0/33, ip-range-invalid",
        "256.0.0.1-256.0.0.2, ip-range-invalid",
        "010.0.0.1-10.0.0.2, ip-range-invalid",
        "example.com-example.org, ip-range-invalid",
        "10.0.0.1, ip-range-invalid",
        "10.0.0.0/8-10.0.0.1, ip-range-invalid"
    })
    void refuses(String range, String rule) {
        Optional<Violation> violation = IpRanges.check("metalLbIpRange", range);
        assertThat(violation)
                .get()
                .extracting(Violation::field, Violation::rule)
                .containsExactly("metalLbIpRange", rule);
    }
}
