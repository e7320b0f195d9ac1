package dev.windlass.events.validation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.EventJson;
import dev.windlass.events.deployment.DeploymentRequested;
import dev.windlass.events.spec.AppSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

    private static final ObjectMapper MAPPER = EventJson.mapper();

    /** A request body as the deployer takes it: the spec nested one level down. */
    record Body(String orchestrator, String namespace, AppSpec spec) {}

    record Renamed(
            @JsonProperty("display_name") String displayName,
            @JsonAlias("colour") String color) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Tolerant(String name) {}

    @JsonIgnoreProperties({"legacy"})
    record WithIgnored(String name) {}

    record Holder(Map<String, Renamed> byName, Optional<Renamed> maybe, List<List<Renamed>> grid, Tolerant tolerant) {}

    @Test
    void aCompleteValidSpecHasNoUnknownField() {
        String json = """
                {"orchestrator":"home-k3s","namespace":"shop","spec":{"name":"storefront","image":"nginx:1.27",
                 "replicas":2,"command":["java"],"args":["-jar"],"env":{"A":"1"},"secretEnv":{"B":"2"},
                 "ports":[{"name":"http","containerPort":8080,"protocol":"TCP","exposure":"INGRESS"},
                          {"name":"debug","containerPort":5005,"exposure":"NODE_PORT","nodePort":30505}],
                 "ingress":{"host":"shop.example.com","path":"/","className":"traefik","tlsIssuer":"le","forwardAuth":true},
                 "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
                 "volumes":[{"name":"data","mountPath":"/data","size":"1Gi","storageClass":"local-path"}],
                 "probes":{"liveness":{"type":"HTTP","path":"/h","port":8080,"initialDelaySeconds":1,"periodSeconds":2},
                           "readiness":{"type":"TCP","port":8080}},
                 "networkPolicy":{"allowFrom":["checkout"]},
                 "labels":{"tier":"frontend"},"annotations":{"example.com/owner":"team"}}}
                """;

        assertThat(check(json, Body.class)).isEmpty();
    }

    /**
     * Each type is introspected once per mapper configuration, not once per document: every deploy request's spec is
     * checked, and Jackson's introspection costs more than the walk.
     */
    @Test
    void aTypeIsIntrospectedOncePerMapperNotPerDocument() {
        ObjectMapper own = new ObjectMapper();
        String json = """
                {"orchestrator":"o","namespace":"n","spec":{"name":"a","image":"nginx:1.27","replica":2,
                 "ports":[{"name":"http","containerPort":8080}]}}
                """;
        long before = UnknownFields.INTROSPECTIONS.get();
        List<Violation> first = UnknownFields.inBody(own, json.getBytes(UTF_8), Body.class);
        long firstWalk = UnknownFields.INTROSPECTIONS.get() - before;
        List<Violation> second = UnknownFields.inBody(own, json.getBytes(UTF_8), Body.class);

        assertThat(firstWalk).as("Body, AppSpec and its port").isGreaterThanOrEqualTo(3);
        assertThat(UnknownFields.INTROSPECTIONS.get() - before).isEqualTo(firstWalk);
        assertThat(second).isEqualTo(first).extracting(Violation::path).containsExactly("spec.replica");
        // another configuration is introspected on its own
        UnknownFields.inBody(new ObjectMapper(), json.getBytes(UTF_8), Body.class);
        assertThat(UnknownFields.INTROSPECTIONS.get() - before).isEqualTo(2 * firstWalk);
    }

    @Test
    void reportsEveryUnknownFieldAtEveryDepthWithTheFieldMeant() {
        String json = """
                {"orchestrator":"local","namespaces":"demo","spec":{"name":"x","image":"nginx:1.27","privileged":true,
                 "replica":3,
                 "ports":[{"name":"http","containerPort":80},{"name":"tcp","contanerPort":81,"hostPort":1}],
                 "ingress":{"host":"a.example.com","tls":true},
                 "resources":{"limits":{"cpu":"1","memroy":"1Gi"}},
                 "volumes":[{"name":"v","mountPath":"/v","size":"1Gi","storageclass":"x"}],
                 "probes":{"liveness":{"type":"TCP","port":80,"timeoutSeconds":1},"startup":{}},
                 "networkPolicy":{"allowFrom":[],"denyFrom":[]}}}
                """;

        assertThat(check(json, Body.class))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("namespaces", "unknown-field", "unknown field; did you mean namespace?"),
                        tuple("spec.privileged", "unknown-field", "unknown field"),
                        tuple("spec.replica", "unknown-field", "unknown field; did you mean replicas?"),
                        tuple(
                                "spec.ports[1].contanerPort",
                                "unknown-field",
                                "unknown field; did you mean containerPort?"),
                        tuple("spec.ports[1].hostPort", "unknown-field", "unknown field"),
                        tuple("spec.ingress.tls", "unknown-field", "unknown field"),
                        tuple("spec.resources.limits.memroy", "unknown-field", "unknown field; did you mean memory?"),
                        tuple(
                                "spec.volumes[0].storageclass",
                                "unknown-field",
                                "unknown field; did you mean storageClass?"),
                        tuple("spec.probes.liveness.timeoutSeconds", "unknown-field", "unknown field"),
                        tuple("spec.probes.startup", "unknown-field", "unknown field"),
                        tuple("spec.networkPolicy.denyFrom", "unknown-field", "unknown field"));
    }

    @Test
    void mapKeysAreDataNotFields() {
        String json = """
                {"name":"x","image":"nginx","env":{"replica":"1","privileged":"true"},"secretEnv":{"nmae":"s"},
                 "labels":{"app.example.com/tier":"web","replica":"x"},"annotations":{"anything":"goes"}}
                """;

        assertThat(check(json, AppSpec.class)).isEmpty();
    }

    @Test
    void checksRecordsInsideMapValuesOptionalsAndNestedLists() {
        String json = """
                {"byName":{"free key":{"display_name":"a","colur":"red"}},"maybe":{"displayName":"b"},
                 "grid":[[{"colour":"blue"}],[{"color":"x","extra":1}]],"tolerant":{"anything":1}}
                """;

        assertThat(check(json, Holder.class))
                .extracting(Violation::path, Violation::message)
                .containsExactly(
                        tuple("byName[\"free key\"].colur", "unknown field; did you mean color?"),
                        tuple("maybe.displayName", "unknown field; did you mean display_name?"),
                        tuple("grid[1][0].extra", "unknown field"));
    }

    @Test
    void followsJacksonNamesAliasesAndIgnoredProperties() {
        assertThat(check("{\"display_name\":\"a\",\"colour\":\"red\"}", Renamed.class))
                .isEmpty();
        assertThat(check("{\"name\":\"a\",\"legacy\":1,\"other\":2}", WithIgnored.class))
                .extracting(Violation::path)
                .containsExactly("other");
        assertThat(check("{\"name\":\"a\",\"other\":2}", Tolerant.class)).isEmpty();
    }

    @Test
    void doesNotDescendIntoUnknownFieldsOrValuesOfTheWrongType() {
        String json = "{\"name\":\"x\",\"image\":\"y\",\"secretEnvv\":{\"nested\":{\"deeper\":1}},\"ports\":\"80\","
                + "\"ingress\":[{\"bogus\":1}]}";

        assertThat(check(json, AppSpec.class)).extracting(Violation::path).containsExactly("secretEnvv");
    }

    @Test
    void reportsUnderThePathGivenAndAtTheRoot() {
        JsonNode spec = tree("{\"name\":\"x\",\"image\":\"y\",\"replica\":2}");

        assertThat(UnknownFields.check(spec, AppSpec.class, "spec"))
                .extracting(Violation::path)
                .containsExactly("spec.replica");
        assertThat(UnknownFields.check(spec, AppSpec.class, ""))
                .extracting(Violation::path)
                .containsExactly("replica");
        assertThat(UnknownFields.check(tree("{\"a b\":1}"), AppSpec.class, ""))
                .extracting(Violation::path)
                .containsExactly("$[\"a b\"]");
    }

    @Test
    void checksTheEventPayloadLikeAnyOtherType() {
        String json =
                "{\"deploymentId\":\"x\",\"action\":\"APPLY\",\"requestedBy\":{\"subject\":\"s\",\"usrname\":\"u\"},"
                        + "\"spec\":{\"name\":\"x\",\"image\":\"y\",\"imagePullPolicy\":\"Always\"}}";

        assertThat(check(json, DeploymentRequested.class))
                .extracting(Violation::path, Violation::message)
                .containsExactly(
                        tuple("requestedBy.usrname", "unknown field; did you mean username?"),
                        tuple("spec.imagePullPolicy", "unknown field"));
    }

    @Test
    void suggestsOnlyCloseNames() {
        List<String> known = List.of("name", "image", "replicas", "namespace", "containerPort", "env", "secretEnv");

        assertThat(UnknownFields.suggestion("replica", known)).isEqualTo("replicas");
        assertThat(UnknownFields.suggestion("Replicas", known)).isEqualTo("replicas");
        assertThat(UnknownFields.suggestion("nmae", known)).isEqualTo("name");
        assertThat(UnknownFields.suggestion("imagee", known)).isEqualTo("image");
        assertThat(UnknownFields.suggestion("container_port", known)).isEqualTo("containerPort");
        assertThat(UnknownFields.suggestion("secretenv", known)).isEqualTo("secretEnv");
        assertThat(UnknownFields.suggestion("privileged", known)).isNull();
        assertThat(UnknownFields.suggestion("tls", known)).isNull();
        assertThat(UnknownFields.suggestion("xyz", known)).isNull();
    }

    @Test
    void anyDocumentThatIsNotAnObjectHasNoFields() {
        assertThat(check("[1,2]", AppSpec.class)).isEmpty();
        assertThat(check("\"text\"", AppSpec.class)).isEmpty();
        assertThat(UnknownFields.check(null, AppSpec.class, "")).isEmpty();
    }

    @Test
    void readsARequestBodyAndSummarisesItsUnknownFields() {
        byte[] body = "{\"orchestrator\":\"local\",\"spec\":{\"name\":\"x\",\"replica\":3}}".getBytes(UTF_8);
        List<Violation> one = UnknownFields.inBody(MAPPER, body, Body.class);
        List<Violation> two = UnknownFields.inBody(MAPPER, "{\"a\":1,\"spec\":{\"b\":2}}".getBytes(UTF_8), Body.class);

        assertThat(UnknownFields.summary(one)).isEqualTo("spec.replica: unknown field; did you mean replicas?");
        assertThat(UnknownFields.summary(two)).isEqualTo("2 unknown fields: a, spec.b");
        assertThat(UnknownFields.inBody(MAPPER, "{not json".getBytes(UTF_8), Body.class))
                .isEmpty();
        assertThat(UnknownFields.inBody(MAPPER, new byte[0], Body.class)).isEmpty();
    }

    @Test
    void stopsAfterTheMostItReportsAndSaysSo() {
        StringBuilder json = new StringBuilder("{\"name\":\"x\"");
        for (int i = 0; i < 5000; i++) {
            json.append(",\"f").append(i).append("\":1");
        }
        List<Violation> violations = check(json.append('}').toString(), AppSpec.class);

        assertThat(violations).hasSize(UnknownFields.MAX_REPORTED + 1);
        assertThat(violations.get(UnknownFields.MAX_REPORTED))
                .extracting(Violation::path, Violation::message)
                .containsExactly("$", "more than 100 unknown fields; the others are not listed");
        assertThat(UnknownFields.summary(violations))
                .isEqualTo("101 unknown fields: f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, …");
    }

    private static List<Violation> check(String json, Class<?> type) {
        return UnknownFields.check(MAPPER, tree(json), type, "");
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
