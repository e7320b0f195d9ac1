package dev.windlass.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The startup check against HS256-only providers, over discovery and JWKS documents as Authentik serves them. */
class SigningKeyRequirementTest {

    private static final String ISSUER = "https://auth.example.com/application/o/windlass";
    private static final String RS256_DISCOVERY = "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + ISSUER
            + "/jwks/\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    private static final String HS256_DISCOVERY = "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + ISSUER
            + "/jwks/\",\"id_token_signing_alg_values_supported\":[\"HS256\"]}";
    private static final String RSA_JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\","
            + "\"kid\":\"4fa1c3\",\"n\":\"sXch\",\"e\":\"AQAB\"}]}";

    @Test
    void acceptsAProviderWithAnRsaSigningKey() {
        assertThat(SigningKeyRequirement.problem(ISSUER, RS256_DISCOVERY, RSA_JWKS))
                .isEmpty();
    }

    @Test
    void acceptsAnEcKeyAndKeysWithoutUseOrAlg() {
        String jwks = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"e1\",\"x\":\"a\",\"y\":\"b\"}]}";
        assertThat(SigningKeyRequirement.problem(ISSUER, null, jwks)).isEmpty();
    }

    @Test
    void refusesAnAuthentikProviderWithoutSigningKeyAndSaysHowToFixIt() {
        // what Authentik serves when the provider's "Signing Key" is empty: HS256 and an empty key set
        assertThat(SigningKeyRequirement.problem(ISSUER, HS256_DISCOVERY, "{\"keys\":[]}"))
                .hasValueSatisfying(problem -> assertThat(problem)
                        .contains(ISSUER)
                        .contains("no RSA or EC signing key")
                        .contains("signs tokens with HS256")
                        .contains("Providers → windlass")
                        .contains("Signing Key")
                        .contains("certificate"));
    }

    @Test
    void refusesKeySetsWithOnlySymmetricOrEncryptionKeys() {
        String symmetric = "{\"keys\":[{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"c2VjcmV0\"}]}";
        String encryption = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"sXch\",\"e\":\"AQAB\"}]}";
        String noKeys = "{}";
        assertThat(SigningKeyRequirement.problem(ISSUER, RS256_DISCOVERY, symmetric))
                .isPresent();
        assertThat(SigningKeyRequirement.problem(ISSUER, RS256_DISCOVERY, encryption))
                .isPresent();
        assertThat(SigningKeyRequirement.problem(ISSUER, null, noKeys))
                .hasValueSatisfying(problem -> assertThat(problem).doesNotContain("signs tokens with"));
    }

    @Test
    void refusesAJwksThatIsNotJson() {
        assertThat(SigningKeyRequirement.problem(ISSUER, RS256_DISCOVERY, "<html>login</html>"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("not a JSON Web Key Set"));
        assertThat(SigningKeyRequirement.problem(ISSUER, RS256_DISCOVERY, "{\"keys\":\"none\"}"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("not a JSON Web Key Set"));
    }
}
