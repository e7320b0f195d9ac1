package dev.windlass.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterConnectionTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-token";
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n";

    @Test
    void toStringNeverPrintsCredentials() {
        ClusterConnection connection = new ClusterConnection(
                UUID.randomUUID(),
                "edge",
                "K3S",
                "prod",
                "https://10.0.0.1:6443",
                "CERTIFICATE",
                TOKEN,
                CERT,
                KEY,
                CERT,
                false,
                "192.168.1.240-192.168.1.250",
                "apps",
                List.of("ops"),
                7);

        assertThat(connection.toString())
                .contains("name=edge", "apiServerUrl=https://10.0.0.1:6443", "version=7", "token=****")
                .doesNotContain(TOKEN, "MIIBcert", "MIIEkey");
    }

    @Test
    void absentGroupsAreEmpty() {
        ClusterConnection connection = new ClusterConnection(
                null, "edge", "K8S", "dev", "https://x", "TOKEN", "t", null, null, null, false, null, null, null, 1);

        assertThat(connection.allowedGroups()).isEmpty();
        assertThat(connection.toString()).contains("clientKeyPem=null");
    }

    @Test
    void readsTheRegistrysConnectionMaterialFieldByField() throws Exception {
        // the registry's GET /internal/orchestrators/{name}/connection, every field it answers (ConnectionMaterial)
        String json = """
                {"id":"4f0c0000-0000-4000-8000-000000000001","name":"home-k3s","type":"K3S","environment":"dev",
                 "apiServerUrl":"https://192.168.1.10:6443","authType":"TOKEN","token":"t","clientCertificatePem":null,
                 "clientKeyPem":null,"caCertificatePem":null,"skipTlsVerify":false,
                 "metalLbIpRange":"192.168.1.240-192.168.1.250","defaultNamespace":"apps","allowedGroups":["home-lab"],
                 "version":3,"destinations":[{"namespaces":["*"],"groups":["home-lab"]}],
                 "authentikOutpostUrl":"http://ak-outpost.authentik:9000"}
                """;

        ClusterConnection connection = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(json, ClusterConnection.class);

        assertThat(connection.metalLbIpRange()).isEqualTo("192.168.1.240-192.168.1.250");
        assertThat(connection.version()).isEqualTo(3);
        assertThat(connection.destinations()).hasSize(1);
        assertThat(connection.authentikOutpostUrl()).isEqualTo("http://ak-outpost.authentik:9000");
    }
}
