package dev.windlass.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster the reliability suite deploys to: the suite's API server registered through the gateway as
 * orchestrator {@value #ORCHESTRATOR} (a ServiceAccount token with every right in namespace {@value #NAMESPACE},
 * deployable by {@code windlass-deployers} and readable by {@code windlass-viewers}), plus a certificate orchestrator that is never deployed to but whose
 * client key must never leak either. Also keeps every secret value the run handed to the suite.
 */
public final class Target {

    public static final String ORCHESTRATOR = "reliability";
    public static final String CERT_ORCHESTRATOR = "reliability-cert";
    public static final String NAMESPACE = "reliability";

    static final ObjectMapper JSON = new ObjectMapper();

    private final LocalSuite suite;
    private final String serviceAccountToken;
    private final String orchestratorId;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    private Target(LocalSuite suite, String serviceAccountToken, String orchestratorId) {
        this.suite = suite;
        this.serviceAccountToken = serviceAccountToken;
        this.orchestratorId = orchestratorId;
        secrets.add(serviceAccountToken);
    }

    static Target register(LocalSuite suite, Http http) {
        String token = suite.kube()
                .serviceAccountToken(
                        NAMESPACE,
                        "windlass-reliability",
                        List.of(new PolicyRuleBuilder()
                                .withApiGroups("*")
                                .withResources("*")
                                .withVerbs("*")
                                .build()));
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", ORCHESTRATOR);
            body.put("description", "the reliability suite's cluster");
            body.put("environment", "dev");
            body.put("type", "K8S");
            body.put("apiServerUrl", suite.kube().url());
            body.put("authType", "TOKEN");
            body.put("token", token);
            body.put("caCertificatePem", suite.kube().caCertPem());
            body.put("defaultNamespace", NAMESPACE);
            body.put("allowedGroups", List.of(DevUser.DEPLOYER.group(), DevUser.VIEWER.group()));
            String admin = suite.oidc().accessToken(DevUser.ADMIN);
            Http.Answer created =
                    http.json("POST", suite.gatewayUrl() + "/api/orchestrators", admin, JSON.writeValueAsString(body));
            if (created.status() != 201) {
                throw new IllegalStateException("could not register the orchestrator: " + created);
            }
            Map<String, Object> cert = new LinkedHashMap<>(body);
            cert.remove("token");
            cert.put("name", CERT_ORCHESTRATOR);
            cert.put("authType", "CERTIFICATE");
            cert.put("clientCertificatePem", suite.kube().adminClientCertPem());
            cert.put("clientKeyPem", suite.kube().adminClientKeyPem());
            Http.Answer second =
                    http.json("POST", suite.gatewayUrl() + "/api/orchestrators", admin, JSON.writeValueAsString(cert));
            if (second.status() != 201) {
                throw new IllegalStateException("could not register the certificate orchestrator: " + second);
            }
            JsonNode node = JSON.readTree(created.body());
            return new Target(suite, token, node.get("id").asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String orchestratorId() {
        return orchestratorId;
    }

    public String serviceAccountToken() {
        return serviceAccountToken;
    }

    public String token(DevUser user) {
        return suite.oidc().accessToken(user);
    }

    /** Remembers a secret value the run sent, for the scan at the end. */
    public void secret(String value) {
        secrets.add(value);
    }

    /** The secret values sent in deploy specs and the orchestrator token, so far. */
    public Set<String> secrets() {
        return Set.copyOf(secrets);
    }
}
