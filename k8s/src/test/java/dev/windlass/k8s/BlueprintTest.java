package dev.windlass.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The Authentik blueprint, read as Authentik reads it (YAML with its custom tags), and checked for
 * what Windlass relies on: no Authentik runs here, so this is the only check it gets in the build.
 */
class BlueprintTest {

    private static final Path BLUEPRINT = ChartFixture.repo().resolve("k8s/authentik/windlass-blueprint.yaml");
    /** Tags of blueprint format v1 this file may use. */
    private static final Set<String> TAGS = Set.of("!KeyOf", "!Find", "!Env", "!Context", "!Format", "!If");
    /** The Authentik models the blueprint creates, as named in Authentik's blueprint schema. */
    private static final Set<String> MODELS = Set.of(
            "authentik_blueprints.metaapplyblueprint",
            "authentik_core.group",
            "authentik_core.user",
            "authentik_core.token",
            "authentik_core.application",
            "authentik_policies.policybinding",
            "authentik_providers_oauth2.oauth2provider");

    /** A value carrying one of Authentik's YAML tags. */
    record Tagged(String tag, Object value) {}

    static Map<String, Object> blueprint;
    static List<Map<String, Object>> entries;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        blueprint = new Yaml(new BlueprintConstructor()).load(Files.readString(BLUEPRINT));
        entries = (List<Map<String, Object>>) blueprint.get("entries");
    }

    @Test
    void isABlueprintOfFormatVersionOne() {
        assertThat(blueprint.get("version")).isEqualTo(1);
        assertThat(map(blueprint.get("metadata"))).containsEntry("name", "Windlass");
        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry).containsKey("model");
            if (!((String) entry.get("model")).startsWith("authentik_blueprints.meta")) {
                assertThat(entry).containsKey("identifiers");
            }
            assertThat(MODELS).contains((String) entry.get("model"));
            assertThat(entry.keySet()).isSubsetOf("model", "id", "identifiers", "attrs", "state", "conditions");
        });
    }

    @Test
    void everyKeyOfPointsAtAnEarlierEntry() {
        Set<Object> ids = new HashSet<>();
        List<String> dangling = new ArrayList<>();
        for (Map<String, Object> entry : entries) {
            tags(entry, "!KeyOf").forEach(ref -> {
                if (!ids.contains(ref.value())) {
                    dangling.add(String.valueOf(ref.value()));
                }
            });
            if (entry.get("id") != null) {
                ids.add(entry.get("id"));
            }
        }
        assertThat(dangling).isEmpty();
    }

    @Test
    void createsTheGroupsTheChartMapsToRoles() throws IOException {
        Map<String, Object> groups =
                map(ChartFixture.readMap(ChartFixture.chart().resolve("values.yaml"))
                        .get("groups"));

        assertThat(entries("authentik_core.group"))
                .extracting(e -> map(e.get("identifiers")).get("name"))
                .containsExactlyInAnyOrder(
                        groups.get("admins"), groups.get("deployers"), groups.get("viewers"), groups.get("services"));
    }

    @Test
    void theProviderSignsRs256AndAllowsOnlyTheGrantsWindlassUses() throws IOException {
        Map<String, Object> provider =
                map(entries("authentik_providers_oauth2.oauth2provider").get(0).get("attrs"));
        Map<String, Object> values = ChartFixture.readMap(ChartFixture.chart().resolve("values.yaml"));

        assertThat(provider.get("client_type")).isEqualTo("confidential");
        assertThat(provider.get("client_id")).isEqualTo(map(values.get("oidc")).get("clientId"));
        assertThat(provider.get("signing_key"))
                .isEqualTo(new Tagged(
                        "!Find",
                        List.of(
                                "authentik_crypto.certificatekeypair",
                                List.of("name", "authentik Self-signed Certificate"))));
        assertThat(provider.get("grant_types"))
                .isEqualTo(List.of("authorization_code", "refresh_token", "client_credentials"));
        assertThat(provider.get("include_claims_in_id_token")).isEqualTo(true);
        assertThat(provider.get("sub_mode")).isEqualTo("hashed_user_id");
        assertThat(provider.get("issuer_mode")).isEqualTo("per_provider");
        assertThat(list(provider.get("property_mappings")))
                .extracting(m -> (Object) ((List<?>) ((Tagged) m).value()).get(1))
                .containsExactlyInAnyOrder(
                        List.of("managed", "goauthentik.io/providers/oauth2/scope-openid"),
                        List.of("managed", "goauthentik.io/providers/oauth2/scope-profile"),
                        List.of("managed", "goauthentik.io/providers/oauth2/scope-email"),
                        List.of("managed", "goauthentik.io/providers/oauth2/scope-offline_access"));
        assertThat(list(provider.get("redirect_uris")))
                .allSatisfy(uri -> assertThat(map(uri)).containsEntry("matching_mode", "strict"));
        assertThat(list(provider.get("redirect_uris")))
                .extracting(uri -> (Object) ((List<?>) ((Tagged) map(uri).get("url")).value()).get(0))
                .containsExactly("%s/login/callback", "%s/signed-out");
        // the signed-out page is a logout redirect, not a place an authorization code may be sent to
        assertThat(list(provider.get("redirect_uris")))
                .extracting(uri -> map(uri).get("redirect_uri_type"))
                .containsExactly("authorization", "logout");
        assertThat(provider.get("authorization_flow"))
                .isEqualTo(new Tagged(
                        "!Find",
                        List.of(
                                "authentik_flows.flow",
                                List.of("slug", "default-provider-authorization-implicit-consent"))));
        assertThat(provider.get("invalidation_flow"))
                .isEqualTo(new Tagged(
                        "!Find",
                        List.of("authentik_flows.flow", List.of("slug", "default-provider-invalidation-flow"))));
    }

    @Test
    void theApplicationSlugIsTheIssuerPathOfTheChart() throws IOException {
        Map<String, Object> values = ChartFixture.readMap(ChartFixture.chart().resolve("values.yaml"));
        String issuer = (String) map(values.get("oidc")).get("issuerUrl");
        Map<String, Object> application = entries("authentik_core.application").get(0);

        assertThat(issuer)
                .endsWith(
                        "/application/o/" + map(application.get("identifiers")).get("slug") + "/");
        assertThat(map(application.get("attrs")).get("provider")).isEqualTo(new Tagged("!KeyOf", "provider"));
        assertThat(entries("authentik_policies.policybinding"))
                .extracting(b -> map(b.get("identifiers")).get("group"))
                .containsExactlyInAnyOrder(
                        new Tagged("!KeyOf", "group-admins"),
                        new Tagged("!KeyOf", "group-deployers"),
                        new Tagged("!KeyOf", "group-viewers"),
                        new Tagged("!KeyOf", "group-services"));
    }

    @Test
    void theServiceClientIsAServiceAccountInTheServicesGroup() {
        Map<String, Object> user = entries("authentik_core.user").get(0);
        Map<String, Object> token = entries("authentik_core.token").get(0);

        assertThat(map(user.get("identifiers"))).containsEntry("username", "windlass-service");
        assertThat(map(user.get("attrs")))
                .containsEntry("type", "service_account")
                .containsEntry("groups", List.of(new Tagged("!KeyOf", "group-services")));
        assertThat(map(token.get("attrs")))
                .containsEntry("intent", "app_password")
                .containsEntry("user", new Tagged("!KeyOf", "service-user"))
                .containsEntry("key", new Tagged("!Env", "WINDLASS_SERVICE_APP_PASSWORD"));
    }

    @Test
    void theCiDeployerIsAServiceAccountInTheDeployersGroup() {
        Map<String, Object> user = entries("authentik_core.user").get(1);
        Map<String, Object> token = entries("authentik_core.token").get(1);

        assertThat(map(user.get("identifiers"))).containsEntry("username", "windlass-ci");
        assertThat(map(user.get("attrs")))
                .containsEntry("type", "service_account")
                .containsEntry("groups", List.of(new Tagged("!KeyOf", "group-deployers")));
        assertThat(map(token.get("attrs")))
                .containsEntry("intent", "app_password")
                .containsEntry("user", new Tagged("!KeyOf", "ci-user"))
                .containsEntry("key", new Tagged("!Env", "WINDLASS_CI_APP_PASSWORD"));
    }

    @Test
    void everyEnvironmentVariableIsSetByComposeAndDocumented() throws IOException {
        Set<String> variables = new HashSet<>();
        Matcher inline = Pattern.compile("!Env \\[?([A-Z_]+)").matcher(Files.readString(BLUEPRINT));
        while (inline.find()) {
            variables.add(inline.group(1));
        }
        String compose = Files.readString(ChartFixture.repo().resolve("docker-compose.yml"));
        String docs = Files.readString(ChartFixture.operationsDoc());

        assertThat(variables)
                .containsExactlyInAnyOrder(
                        "WINDLASS_URL",
                        "WINDLASS_OIDC_CLIENT_SECRET",
                        "WINDLASS_SERVICE_APP_PASSWORD",
                        "WINDLASS_CI_APP_PASSWORD")
                .allSatisfy(variable -> {
                    assertThat(compose).contains(variable + ":");
                    assertThat(docs).contains(variable);
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void theForwardAuthExampleMakesForwardAuthProvidersWithBothFlowsAndServesThemFromTheEmbeddedOutpost()
            throws IOException {
        Map<String, Object> example = new Yaml(new BlueprintConstructor())
                .load(Files.readString(ChartFixture.repo().resolve("k8s/authentik/forward-auth-blueprint.yaml")));
        List<Map<String, Object>> items = (List<Map<String, Object>>) example.get("entries");
        assertThat(example.get("version")).isEqualTo(1);
        assertThat(items)
                .extracting(e -> e.get("model"))
                .containsOnly(
                        "authentik_providers_proxy.proxyprovider",
                        "authentik_core.application",
                        "authentik_outposts.outpost");
        List<Object> ids = new ArrayList<>();
        for (Map<String, Object> entry : items) {
            assertThat(tags(entry, "!KeyOf")).allSatisfy(ref -> assertThat(ids).contains(ref.value()));
            ids.add(entry.get("id"));
        }
        List<Map<String, Object>> providers = items.stream()
                .filter(e -> e.get("model").equals("authentik_providers_proxy.proxyprovider"))
                .toList();
        // Authentik's ProxyMode values; both flows are required by its provider serializer
        assertThat(providers)
                .extracting(p -> map(p.get("attrs")).get("mode"))
                .containsExactly("forward_single", "forward_domain");
        assertThat(providers)
                .allSatisfy(p -> assertThat(map(p.get("attrs")))
                        .containsKeys("external_host", "authorization_flow", "invalidation_flow"));
        Map<String, Object> outpost = items.get(items.size() - 1);
        assertThat(map(outpost.get("identifiers"))).containsEntry("managed", "goauthentik.io/outposts/embedded");
        assertThat(tags(map(outpost.get("attrs")).get("providers"), "!KeyOf"))
                .extracting(Tagged::value)
                .containsExactlyInAnyOrderElementsOf(
                        providers.stream().map(p -> p.get("id")).toList());
    }

    private static List<Map<String, Object>> entries(String model) {
        return entries.stream().filter(e -> model.equals(e.get("model"))).toList();
    }

    private static List<Tagged> tags(Object value, String tag) {
        List<Tagged> found = new ArrayList<>();
        if (value instanceof Tagged t) {
            if (t.tag().equals(tag)) {
                found.add(t);
            }
            found.addAll(tags(t.value(), tag));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> found.addAll(tags(v, tag)));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> found.addAll(tags(v, tag)));
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value instanceof Tagged t) {
            return Map.of("tag", t.tag(), "value", Objects.requireNonNull(t.value()));
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** Reads Authentik's tags into {@link Tagged} values; an unknown tag fails the read. */
    private static final class BlueprintConstructor extends SafeConstructor {
        BlueprintConstructor() {
            super(new LoaderOptions());
            for (String tag : TAGS) {
                yamlConstructors.put(new Tag(tag), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = constructScalar(scalar);
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((org.yaml.snakeyaml.nodes.MappingNode) node);
                        }
                        return new Tagged(tag, value);
                    }
                });
            }
        }
    }
}
