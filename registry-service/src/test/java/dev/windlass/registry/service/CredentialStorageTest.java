package dev.windlass.registry.service;

import static dev.windlass.registry.support.Orchestrators.createId;
import static dev.windlass.registry.support.Orchestrators.tokenBody;
import static dev.windlass.registry.support.Orchestrators.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import dev.windlass.devstack.quarkus.DevStackResource;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.SealedValue;
import dev.windlass.registry.support.Database;
import dev.windlass.registry.support.DeployerStandIn;
import dev.windlass.registry.support.Orchestrators;
import dev.windlass.registry.support.TestPki;
import dev.windlass.registry.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Credentials at rest: sealed in the database, write-only in the API, rotated to a new key on request. */
@QuarkusTest
@WithTestResource(value = DevStackResource.class, initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(DeployerStandIn.class)
class CredentialStorageTest {

    static final String TOKEN = "storage-test-token-4b8e2d";
    static final TestPki.Pair CA = TestPki.selfSignedRsa("storage-ca");

    @Inject
    CredentialCipher cipher;

    static JsonPath material(String name) {
        return given().auth()
                .oauth2(Tokens.service())
                .get("/internal/orchestrators/" + name + "/connection")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static void put(String id, long version, Map<String, Object> body, int status) {
        Orchestrators.put(id, version, body, status);
    }

    @Test
    void theDatabaseHoldsOnlyCiphertextBoundToTheActiveKey() {
        Map<String, Object> body = tokenBody(uniqueName("sealed"));
        body.put("token", TOKEN);
        body.put("caCertificatePem", CA.certificatePem());
        String id = createId(body);

        Map<String, Object> row = Database.orchestratorRow(id);

        assertThat(row).containsEntry("token_key_id", "test-2").containsEntry("ca_cert_key_id", "test-2");
        byte[] token = (byte[]) row.get("token_ciphertext");
        byte[] ca = (byte[]) row.get("ca_cert_ciphertext");
        assertThat(new String(token, StandardCharsets.ISO_8859_1))
                .doesNotContain(TOKEN)
                .doesNotContain("storage");
        assertThat(new String(ca, StandardCharsets.ISO_8859_1)).doesNotContain("BEGIN CERTIFICATE");
        assertThat(row.values().stream().filter(String.class::isInstance).map(String.class::cast))
                .noneMatch(v -> v.contains(TOKEN) || v.contains("BEGIN CERTIFICATE"));
        assertThat(row.get("client_cert_ciphertext")).isNull();
    }

    @Test
    void absentKeepsEmptyClearsAndOnlyTheSetFlagsAreShown() {
        Map<String, Object> body = tokenBody(uniqueName("writeonly"));
        body.put("token", TOKEN);
        body.put("caCertificatePem", CA.certificatePem());
        String id = createId(body);
        String name = (String) body.get("name");

        body.remove("token");
        body.put("caCertificatePem", null);
        body.put("description", "credentials kept");
        put(id, 0, body, 200);
        assertThat(material(name).getString("token")).isEqualTo(TOKEN);
        assertThat(material(name).getString("caCertificatePem")).isEqualTo(CA.certificatePem());

        // clearing the CA changes which servers are trusted: the token must come along again
        body.put("caCertificatePem", "");
        put(id, 1, body, 400);
        body.put("token", TOKEN);
        put(id, 1, body, 200);
        given().auth()
                .oauth2(Tokens.deployer())
                .get("/api/orchestrators/" + id)
                .then()
                .body("tokenSet", is(true))
                .body("caCertificateSet", is(false));
        assertThat(material(name).getString("caCertificatePem")).isNull();

        body.put("token", "");
        given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"2\"")
                .body(body)
                .put("/api/orchestrators/" + id)
                .then()
                .statusCode(400)
                .body("violations[0].field", is("token"))
                .body("violations[0].rule", is("required"));
    }

    @Test
    void changingTheAuthTypeDropsCredentialsItDoesNotUse() {
        TestPki.Pair client = TestPki.selfSignedRsa("client");
        Map<String, Object> body = tokenBody(uniqueName("switch"));
        String id = createId(body);
        String name = (String) body.get("name");

        body.remove("token");
        body.put("authType", "CERTIFICATE");
        body.put("clientCertificatePem", client.certificatePem());
        body.put("clientKeyPem", client.keyPem());
        put(id, 0, body, 200);

        JsonPath material = material(name);
        assertThat(material.getString("authType")).isEqualTo("CERTIFICATE");
        assertThat(material.getString("token")).isNull();
        assertThat(material.getString("clientKeyPem")).isEqualTo(client.keyPem());
        assertThat(Database.orchestratorRow(id)).containsEntry("token_ciphertext", null);
    }

    @Test
    void reEncryptionMovesOldValuesToTheActiveKeyWithoutChangingTheVersion() {
        Map<String, Object> body = tokenBody(uniqueName("rotate"));
        String id = createId(body);
        String name = (String) body.get("name");
        UUID uuid = UUID.fromString(id);
        SealedValue old = cipher.sealWith("test-1", uuid, CredentialField.TOKEN, TOKEN);
        Database.update(
                "update orchestrator set token_key_id = ?, token_ciphertext = ? where id = ?",
                old.keyId(),
                old.ciphertext(),
                uuid);
        assertThat(material(name).getString("token"))
                .as("the old key still opens it")
                .isEqualTo(TOKEN);

        given().auth()
                .oauth2(Tokens.deployer())
                .post("/api/admin/credentials/re-encrypt")
                .then()
                .statusCode(403);
        JsonPath result = given().auth()
                .oauth2(Tokens.admin())
                .post("/api/admin/credentials/re-encrypt")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(result.getString("activeKeyId")).isEqualTo("test-2");
        assertThat(result.getInt("orchestratorsUpdated")).isGreaterThanOrEqualTo(1);
        assertThat(result.getInt("valuesReEncrypted")).isGreaterThanOrEqualTo(1);
        assertThat(result.getList("failedOrchestratorIds")).isEmpty();
        Map<String, Object> row = Database.orchestratorRow(id);
        assertThat(row).containsEntry("token_key_id", "test-2").containsEntry("version", 0L);
        assertThat(material(name).getString("token")).isEqualTo(TOKEN);
        given().auth()
                .oauth2(Tokens.admin())
                .get("/api/orchestrators/" + id + "/audit")
                .then()
                // found by action: the periodic connection check may add an entry of its own at any moment
                .body(
                        "items.find { it.action == 'CREDENTIALS_REENCRYPTED' }.details",
                        is("re-encrypted token with key 'test-2'"));

        JsonPath again = given().auth()
                .oauth2(Tokens.admin())
                .post("/api/admin/credentials/re-encrypt")
                .then()
                .extract()
                .jsonPath();
        assertThat(again.getInt("valuesReEncrypted")).isZero();
    }

    @Test
    void aValueUnderAnUnconfiguredKeyIsReportedNotLost() {
        Map<String, Object> body = tokenBody(uniqueName("lostkey"));
        String id = createId(body);
        try {
            Database.update("update orchestrator set token_key_id = 'retired' where id = ?", UUID.fromString(id));

            JsonPath result = given().auth()
                    .oauth2(Tokens.admin())
                    .post("/api/admin/credentials/re-encrypt")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();

            assertThat(result.getList("failedOrchestratorIds")).containsExactly(id);
        } finally {
            given().auth()
                    .oauth2(Tokens.admin())
                    .delete("/api/orchestrators/" + id)
                    .then()
                    .statusCode(204);
        }
    }
}
