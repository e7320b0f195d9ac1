package dev.windlass.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsrfPolicyTest {

    private static final String OWN = "https://windlass.example.com";
    private static final List<String> TRUSTED = List.of("https://console.example.com");

    @ParameterizedTest(name = "{0} bearer={1} cookie={2} site={3} origin={4} referer={5} -> allowed={6}")
    @CsvSource(
            nullValues = "-",
            value = {
                // safe methods and requests without a session cookie are not this policy's business
                "GET,    false, true,  cross-site,  https://evil.example,          -,                                   true",
                "POST,   false, false, cross-site,  https://evil.example,          -,                                   true",
                // bearer requests are exempt
                "POST,   true,  true,  cross-site,  https://evil.example,          -,                                   true",
                // Fetch metadata decides first
                "POST,   false, true,  same-origin, -,                             -,                                   true",
                "DELETE, false, true,  none,        -,                             -,                                   true",
                "POST,   false, true,  cross-site,  https://evil.example,          -,                                   false",
                "POST,   false, true,  same-site,   https://other.windlass.example, -,                                  false",
                "POST,   false, true,  cross-site,  https://console.example.com,   -,                                   true",
                "POST,   false, true,  weird,       https://windlass.example.com,  -,                                   false",
                // then Origin, then Referer
                "PUT,    false, true,  -,           https://windlass.example.com,  -,                                   true",
                "PUT,    false, true,  -,           https://windlass.example.com:443, -,                                true",
                "PUT,    false, true,  -,           https://evil.example,          -,                                   false",
                "PATCH,  false, true,  -,           -,                             https://windlass.example.com/apps/x, true",
                "PATCH,  false, true,  -,           -,                             https://evil.example/windlass,       false",
                "POST,   false, true,  -,           null,                          -,                                   false",
                "POST,   false, true,  -,           -,                             -,                                   false",
            })
    void decides(
            String method,
            boolean bearer,
            boolean cookie,
            String site,
            String origin,
            String referer,
            boolean allowed) {
        String refusal =
                CsrfPolicy.refusal(new CsrfPolicy.Request(method, bearer, cookie, site, origin, referer, OWN), TRUSTED);
        if (allowed) {
            assertThat(refusal).isNull();
        } else {
            assertThat(refusal).isNotBlank();
        }
    }
}
