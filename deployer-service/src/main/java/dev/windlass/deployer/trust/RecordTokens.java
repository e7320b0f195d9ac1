package dev.windlass.deployer.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.security.AccessTokenRule;
import dev.windlass.common.security.SecurityConfig;
import dev.windlass.deployer.rest.Roles;
import dev.windlass.deployer.service.Caller;
import io.quarkus.vertx.http.runtime.VertxHttpConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies the access token a deploy request carries on the Kafka topic, with the rules of the HTTP API: RS256
 * signature by a key of the provider's JWKS, the provider's issuer, the API's audience, an access token and not an ID
 * token ({@link AccessTokenRule}), and roles from the {@code groups} claim through the same
 * {@code quarkus.http.auth.roles-mapping}. The one difference is the clock: a token is judged at the moment the
 * broker appended the record, so that a request held through an outage still counts, while a captured token cannot
 * be used to write new records once it has expired.
 *
 * <p>The provider's discovery document and JWKS are fetched on first use (and the JWKS again for a key id it does
 * not know yet), on a worker thread. A provider that cannot be reached is {@link IssuerUnavailableException}: the
 * record waits, it is not refused.
 */
@ApplicationScoped
public class RecordTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** No grace period, as over HTTP ({@code quarkus.oidc.token.lifespan-grace} is not set). */
    private static final int CLOCK_SKEW_SECONDS = 0;

    private static final String GROUPS = "groups";

    private final String authServerUrl;
    private final List<String> audiences;
    private final Optional<String> configuredIssuer;
    private final AccessTokenRule accessTokenRule;
    private final Map<String, List<String>> rolesMapping;
    private volatile Provider provider;

    /** The caller a verified token names, and the roles its groups give it. */
    public record TokenCaller(Caller caller, Set<String> roles) {

        /** Whether the roles allow changing deployments (the HTTP API's deployer or admin). */
        public boolean mayChangeDeployments() {
            return roles.contains(Roles.DEPLOYER) || roles.contains(Roles.ADMIN);
        }
    }

    private record Provider(String issuer, HttpsJwksVerificationKeyResolver keys) {}

    @Inject
    public RecordTokens(
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl,
            @ConfigProperty(name = "quarkus.oidc.token.audience") List<String> audiences,
            @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> issuer,
            SecurityConfig security) {
        this(
                authServerUrl,
                audiences,
                issuer,
                new AccessTokenRule(security.accessTokenClaims()),
                ConfigProvider.getConfig()
                        .unwrap(SmallRyeConfig.class)
                        .getConfigMapping(VertxHttpConfig.class)
                        .auth()
                        .rolesMapping());
    }

    RecordTokens(
            String authServerUrl,
            List<String> audiences,
            Optional<String> issuer,
            AccessTokenRule accessTokenRule,
            Map<String, List<String>> rolesMapping) {
        this.authServerUrl =
                authServerUrl.endsWith("/") ? authServerUrl.substring(0, authServerUrl.length() - 1) : authServerUrl;
        this.audiences = List.copyOf(audiences);
        this.configuredIssuer = issuer.filter(value -> !value.isBlank() && !"any".equals(value));
        this.accessTokenRule = accessTokenRule;
        this.rolesMapping = Map.copyOf(rolesMapping);
    }

    /**
     * The caller a token names, judged at {@code at}; fails with {@link RefusedTokenException} for a token that does
     * not count and {@link IssuerUnavailableException} while the provider's keys cannot be fetched.
     */
    public Uni<TokenCaller> verify(String token, Instant at) {
        return Uni.createFrom()
                .item(() -> verifyNow(token, at))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    TokenCaller verifyNow(String token, Instant at) {
        Provider p = provider();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(at.toEpochMilli()))
                .setExpectedIssuer(p.issuer())
                .setExpectedAudience(audiences.toArray(String[]::new))
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(p.keys())
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.getCause() instanceof UnresolvableKeyException unresolvable && unresolvable.getCause() != null) {
                throw new IssuerUnavailableException("the provider's keys cannot be fetched", e);
            }
            throw new RefusedTokenException(describe(e));
        }
        String missing = accessTokenRule.missingClaim(claims::hasClaim).orElse(null);
        if (missing != null) {
            throw new RefusedTokenException("not an access token (no " + missing + " claim)");
        }
        try {
            Set<String> groups =
                    new LinkedHashSet<>(claims.hasClaim(GROUPS) ? claims.getStringListClaimValue(GROUPS) : List.of());
            Set<String> roles = roles(groups);
            Object username = claims.getClaimValue("preferred_username");
            Caller caller = new Caller(
                    claims.getSubject(),
                    username instanceof String name ? name : null,
                    groups,
                    roles.contains(Roles.ADMIN));
            return new TokenCaller(caller, roles);
        } catch (MalformedClaimException e) {
            throw new RefusedTokenException("malformed claim: " + e.getMessage());
        }
    }

    /** The roles of a set of groups: each group itself and what the roles mapping gives it, as over HTTP. */
    Set<String> roles(Set<String> groups) {
        Set<String> roles = new LinkedHashSet<>();
        for (String group : groups) {
            roles.add(group);
            roles.addAll(rolesMapping.getOrDefault(group, List.of()));
        }
        return roles;
    }

    private Provider provider() {
        Provider p = provider;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (provider == null) {
                provider = discover();
            }
            return provider;
        }
    }

    private Provider discover() {
        String discovery = authServerUrl + "/.well-known/openid-configuration";
        try {
            SimpleResponse response = new Get().get(discovery);
            if (response.getStatusCode() != 200) {
                throw new IssuerUnavailableException(
                        "the provider's discovery document answered " + response.getStatusCode(), null);
            }
            JsonNode document = JSON.readTree(response.getBody());
            String issuer = configuredIssuer.orElse(document.path("issuer").asText(null));
            String jwksUri = document.path("jwks_uri").asText(null);
            if (issuer == null || jwksUri == null) {
                throw new IssuerUnavailableException(
                        "the provider's discovery document names no issuer or jwks_uri", null);
            }
            HttpsJwks jwks = new HttpsJwks(jwksUri);
            return new Provider(issuer, new HttpsJwksVerificationKeyResolver(jwks));
        } catch (IOException e) {
            throw new IssuerUnavailableException("the provider's discovery document cannot be read", e);
        }
    }

    /** Why a token was refused, without any part of the token. */
    private static String describe(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the token had expired when the record was appended";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID)) {
            return "the token is from another issuer";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.AUDIENCE_INVALID)) {
            return "the token is for another audience";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_INVALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.SIGNATURE_MISSING)) {
            return "the token's signature does not verify";
        }
        if (e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.NOT_YET_VALID)
                || e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return "the token was not yet valid when the record was appended";
        }
        return "the token does not verify";
    }
}
