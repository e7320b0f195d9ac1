package dev.windlass.gateway.security;

import dev.windlass.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * At startup, refuses to run against an OIDC provider that only signs HS256 (see {@link SigningKeyRequirement}).
 * An unreachable provider is only logged: quarkus-oidc connects again later, and the check is about the provider's
 * configuration, not its availability.
 */
@ApplicationScoped
public class SigningKeyCheck {

    private static final Logger LOG = Logger.getLogger(SigningKeyCheck.class);

    private final GatewayConfig config;
    private final Optional<String> authServerUrl;

    SigningKeyCheck(
            GatewayConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        this.config = config;
        this.authServerUrl = authServerUrl;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.requireAsymmetricSigningKey() || authServerUrl.isEmpty()) {
            return;
        }
        String issuer = authServerUrl.get().replaceAll("/+$", "");
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        String discovery;
        String jwks;
        try {
            discovery = get(http, issuer + "/.well-known/openid-configuration");
            String jwksUri = SigningKeyRequirement.jwksUri(discovery)
                    .orElseThrow(() -> new IllegalStateException("OIDC provider " + issuer
                            + " announces no jwks_uri in its discovery document. "
                            + SigningKeyRequirement.AUTHENTIK_FIX));
            jwks = get(http, jwksUri);
        } catch (IOException e) {
            LOG.warnf("could not check the signing keys of OIDC provider %s: %s", issuer, e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        SigningKeyRequirement.problem(issuer, discovery, jwks).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
