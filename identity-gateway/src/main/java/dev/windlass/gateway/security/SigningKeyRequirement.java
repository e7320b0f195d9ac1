package dev.windlass.gateway.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;

/**
 * Windlass needs an OIDC provider that signs with an asymmetric key (RS256 and friends). An Authentik provider
 * without a signing key signs HS256 with the client secret instead, and its JWKS lists no key at all: every holder
 * of the client secret could then mint tokens. This reads discovery and JWKS and says what is wrong and how to fix it.
 */
public final class SigningKeyRequirement {

    /** How to fix an HS256-only Authentik provider, quoted in the startup failure. */
    public static final String AUTHENTIK_FIX = "In Authentik open Applications → Providers → windlass → Edit, set"
            + " 'Signing Key' to a certificate (for example 'authentik Self-signed Certificate'), save, and restart"
            + " the gateway.";

    private SigningKeyRequirement() {}

    /**
     * The problem with the provider described by {@code discovery} (may be null) and {@code jwks}, or empty when
     * the JWKS offers at least one RSA or EC signing key.
     */
    public static Optional<String> problem(String issuer, String discovery, String jwks) {
        JsonArray keys;
        try {
            keys = new JsonObject(jwks == null ? "" : jwks).getJsonArray("keys");
        } catch (DecodeException | ClassCastException e) {
            return Optional.of("The JWKS of OIDC provider " + issuer + " is not a JSON Web Key Set.");
        }
        if (keys != null) {
            for (Object key : keys) {
                if (key instanceof JsonObject jwk && isAsymmetricSigningKey(jwk)) {
                    return Optional.empty();
                }
            }
        }
        String algorithms = advertisedAlgorithms(discovery);
        return Optional.of("OIDC provider " + issuer + " publishes no RSA or EC signing key in its JWKS"
                + (algorithms == null ? "" : " and signs tokens with " + algorithms)
                + ". Windlass accepts only asymmetrically signed tokens (RS256), never HS256 tokens signed with the"
                + " client secret. " + AUTHENTIK_FIX);
    }

    /** The {@code jwks_uri} of a discovery document, empty when it has none or is no JSON object. */
    public static Optional<String> jwksUri(String discovery) {
        try {
            return Optional.ofNullable(new JsonObject(discovery).getString("jwks_uri"));
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static boolean isAsymmetricSigningKey(JsonObject jwk) {
        String type = jwk.getString("kty", "");
        String use = jwk.getString("use");
        String alg = jwk.getString("alg");
        return (type.equals("RSA") || type.equals("EC"))
                && (use == null || use.equals("sig"))
                && (alg == null || !alg.toUpperCase(Locale.ROOT).startsWith("HS"));
    }

    private static String advertisedAlgorithms(String discovery) {
        if (discovery == null) {
            return null;
        }
        try {
            JsonArray algs = new JsonObject(discovery).getJsonArray("id_token_signing_alg_values_supported");
            return algs == null || algs.isEmpty() ? null : String.join(", ", algs.getList());
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
