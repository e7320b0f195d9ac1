package dev.windlass.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.validation.UnknownFields;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The services refuse unknown fields, so the console must build only known ones: every form, filled completely,
 * is checked with the services' own strict checker against the shape of the body they read.
 */
class ConsoleFormsStrictTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The deployer's {@code POST /api/deployments} body ({@code DeploymentRequestBody}). */
    record DeployBody(String orchestrator, String namespace, AppSpec spec) {}

    /** The registry's orchestrator create/update body ({@code OrchestratorInput}). */
    record OrchestratorBody(
            String name,
            String description,
            String environment,
            String type,
            String apiServerUrl,
            String authType,
            String token,
            String clientCertificatePem,
            String clientKeyPem,
            String caCertificatePem,
            Boolean skipTlsVerify,
            String metalLbIpRange,
            String authentikOutpostUrl,
            String defaultNamespace,
            List<String> allowedGroups,
            List<DestinationBody> destinations) {}

    /** One of the registry's destinations ({@code Destination}). */
    record DestinationBody(List<String> namespaces, List<String> groups, List<String> hosts) {}

    @Test
    void aCompletelyFilledDeployFormSendsOnlyKnownFields() throws Exception {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("orchestrator", "home-k3s");
        form.putSingle("namespace", "shop");
        form.putSingle("spec.name", "storefront");
        form.putSingle("spec.image", "nginx:1.27");
        form.putSingle("spec.replicas", "2");
        form.putSingle("spec.selfHeal", "on");
        for (int i = 0; i < DeployForm.PORTS; i++) {
            form.putSingle("spec.ports[" + i + "].name", "p" + i);
            form.putSingle("spec.ports[" + i + "].containerPort", String.valueOf(8080 + i));
            form.putSingle("spec.ports[" + i + "].exposure", "NODE_PORT");
            form.putSingle("spec.ports[" + i + "].nodePort", String.valueOf(30080 + i));
        }
        form.putSingle("spec.ingress.host", "shop.example.com");
        form.putSingle("spec.ingress.path", "/");
        form.putSingle("spec.ingress.className", "traefik");
        form.putSingle("spec.ingress.tlsIssuer", "letsencrypt");
        form.putSingle("spec.env", "LOG_LEVEL=info\nreplica=free keys are data");
        form.putSingle("spec.secretEnv", "DB_PASSWORD=x");
        for (int i = 0; i < DeployForm.VOLUMES; i++) {
            form.putSingle("spec.volumes[" + i + "].name", "v" + i);
            form.putSingle("spec.volumes[" + i + "].mountPath", "/data" + i);
            form.putSingle("spec.volumes[" + i + "].size", "1Gi");
            form.putSingle("spec.volumes[" + i + "].storageClass", "local-path");
        }
        for (String kind : List.of("requests", "limits")) {
            form.putSingle("spec.resources." + kind + ".cpu", "1");
            form.putSingle("spec.resources." + kind + ".memory", "1Gi");
        }

        JsonNode body = tree(DeployForm.request(form).request());

        assertThat(body.at("/spec/ports/2/nodePort").asInt()).isEqualTo(30082);
        assertThat(body.at("/spec/selfHeal").asBoolean()).isTrue();
        assertThat(body.at("/spec/resources/limits/memory").asText()).isEqualTo("1Gi");
        assertThat(body.at("/spec/ingress/tlsIssuer").asText()).isEqualTo("letsencrypt");
        assertThat(UnknownFields.check(body, DeployBody.class, "")).isEmpty();
    }

    @Test
    void everyOrchestratorFormSendsOnlyKnownFields() throws Exception {
        for (String authType : List.of("TOKEN", "CERTIFICATE", "IN_CLUSTER")) {
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            for (String field : List.of(
                    "name",
                    "description",
                    "environment",
                    "type",
                    "apiServerUrl",
                    "token",
                    "clientCertificatePem",
                    "clientKeyPem",
                    "caCertificatePem",
                    "skipTlsVerify",
                    "metalLbIpRange",
                    "authentikOutpostUrl",
                    "defaultNamespace",
                    "version")) {
                form.putSingle(field, "x");
            }
            form.putSingle("authType", authType);
            form.putSingle("allowedGroups", "team-a, team-b");

            JsonNode body = tree(OrchestratorForm.request(form));

            assertThat(body.path("allowedGroups")).hasSize(2);
            assertThat(body.path("authentikOutpostUrl").asText()).isEqualTo("x");
            assertThat(UnknownFields.check(body, OrchestratorBody.class, ""))
                    .as("unknown fields of a %s form", authType)
                    .isEmpty();
        }
    }

    @Test
    void destinationsAreSentInsteadOfAllowedGroupsOnePerLine() throws Exception {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("name", "shared");
        form.putSingle("environment", "dev");
        form.putSingle("type", "K8S");
        form.putSingle("authType", "TOKEN");
        form.putSingle("allowedGroups", "ignored");
        form.putSingle(
                "destinations",
                "team-a-*, shop: team-a, team-a-leads: *.team-a.example.com, shop.example.com\r\n\r\nteam-b: team-b\r\n");

        JsonNode body = tree(OrchestratorForm.request(form));

        assertThat(body.has("allowedGroups")).isFalse();
        assertThat(body.path("destinations").toString())
                .isEqualTo("[{\"namespaces\":[\"team-a-*\",\"shop\"],\"groups\":[\"team-a\",\"team-a-leads\"],"
                        + "\"hosts\":[\"*.team-a.example.com\",\"shop.example.com\"]},"
                        + "{\"namespaces\":[\"team-b\"],\"groups\":[\"team-b\"]}]");
        assertThat(UnknownFields.check(body, OrchestratorBody.class, "")).isEmpty();
    }

    @Test
    void theCheckUsedHereNoticesAFieldTheServicesDoNotKnow() throws Exception {
        JsonObject request = new JsonObject().put("name", "a").put("tokn", "x");

        assertThat(UnknownFields.check(tree(request), OrchestratorBody.class, ""))
                .extracting(v -> v.path() + ": " + v.message())
                .containsExactly("tokn: unknown field; did you mean token?");
    }

    private static JsonNode tree(JsonObject json) throws Exception {
        return MAPPER.readTree(json.encode());
    }
}
