package dev.windlass.cluster;

/**
 * What it takes to reach one orchestrator's API server. {@link #toString()} never shows the token, the client key or
 * the client certificate.
 *
 * @param name the orchestrator's name, for messages
 * @param apiServerUrl https URL of the API server (ignored for {@link ClusterAuth#IN_CLUSTER})
 * @param auth how to authenticate; null when the stored auth type is unknown
 * @param defaultNamespace the namespace the client uses when none is given
 */
public record ClusterCredentials(
        String name,
        String apiServerUrl,
        ClusterAuth auth,
        String token,
        String clientCertificatePem,
        String clientKeyPem,
        String caCertificatePem,
        boolean skipTlsVerify,
        String defaultNamespace) {

    @Override
    public String toString() {
        return "ClusterCredentials[name=" + name + ", apiServerUrl=" + apiServerUrl + ", auth=" + auth
                + ", skipTlsVerify=" + skipTlsVerify + ", defaultNamespace=" + defaultNamespace
                + ", credentials redacted]";
    }
}
