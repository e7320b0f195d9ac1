package dev.windlass.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void keepsAWellFormedIdAndReplacesAnythingElse() {
        assertThat(RequestIds.accept("req-123_abc.def:1")).isEqualTo("req-123_abc.def:1");
        assertThat(RequestIds.accept(null)).hasSize(36);
        assertThat(RequestIds.accept("")).hasSize(36);
        assertThat(RequestIds.accept("two words")).hasSize(36);
        assertThat(RequestIds.accept("x\r\nSet-Cookie: a=b")).hasSize(36);
        assertThat(RequestIds.accept("a".repeat(129))).hasSize(36);
    }
}
