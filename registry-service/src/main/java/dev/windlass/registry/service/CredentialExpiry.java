package dev.windlass.registry.service;

import dev.windlass.cluster.Pem;
import dev.windlass.cluster.TokenExpiry;
import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.ConnectionMaterial;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an orchestrator's credentials stop working: the {@code exp} of a JWT bearer token (a TokenRequest or {@code
 * kubectl create token} token), or the end of a client certificate's validity. Null when they do not say (a legacy
 * ServiceAccount token Secret, a static token).
 *
 * @param what "token" or "client certificate", for messages
 */
record CredentialExpiry(Instant at, String what) {

    static CredentialExpiry of(ConnectionMaterial m) {
        if (m.authType() == AuthType.TOKEN) {
            return new CredentialExpiry(TokenExpiry.of(m.token()).orElse(null), "token");
        }
        if (m.authType() == AuthType.CERTIFICATE && m.clientCertificatePem() != null) {
            try {
                return new CredentialExpiry(
                        Pem.certificates(m.clientCertificatePem())
                                .get(0)
                                .getNotAfter()
                                .toInstant(),
                        "client certificate");
            } catch (Pem.PemException e) {
                return new CredentialExpiry(null, "client certificate");
            }
        }
        return new CredentialExpiry(null, "credentials");
    }

    /** A warning when the credentials expire within {@code ahead} of {@code now}. */
    Optional<String> warning(Instant now, Duration ahead) {
        if (at == null || at.isAfter(now.plus(ahead))) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, at);
        String in = left.toDays() >= 1 ? left.toDays() + " day(s)" : Math.max(1, left.toHours()) + " hour(s)";
        return Optional.of("the " + what + " expires at " + at + " (in " + in + "); renew it before then");
    }
}
