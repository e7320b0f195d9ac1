package dev.windlass.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.windlass.registry.domain.AuthType;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Environment;
import dev.windlass.registry.support.TestPki;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestratorValidatorTest {

    static final TestPki.Pair CLIENT = TestPki.selfSignedRsa("client");
    static final TestPki.Pair OTHER = TestPki.selfSignedRsa("other");
    static final TestPki.Pair EC_CLIENT = TestPki.selfSignedEc("ec-client");
    static final String DEFAULT_URL = "https://10.0.0.10:6443";

    final OrchestratorValidator strict = new OrchestratorValidator(false, false);

    static OrchestratorInput input(
            String environment, String type, String url, String authType, Boolean skip, String range) {
        return new OrchestratorInput(
                "edge-1",
                "edge cluster",
                environment,
                type,
                url,
                authType,
                null,
                null,
                null,
                null,
                skip,
                range,
                null,
                null,
                null,
                null);
    }

    static Map<CredentialField, String> creds(Object... pairs) {
        Map<CredentialField, String> map = new EnumMap<>(CredentialField.class);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((CredentialField) pairs[i], (String) pairs[i + 1]);
        }
        return map;
    }

    static List<String> rules(ValidationFailedException e) {
        return e.violations().stream().map(v -> v.field() + ":" + v.rule()).toList();
    }

    List<String> violations(OrchestratorValidator validator, OrchestratorInput in, Map<CredentialField, String> c) {
        return rules(
                catchThrowableOfType(ValidationFailedException.class, () -> validator.validate(in, c, c.keySet())));
    }

    @Test
    void aTokenOrchestratorPassesWithDefaults() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc.def");
        ValidOrchestrator valid =
                strict.validate(input("prod", "K3S", DEFAULT_URL, "TOKEN", null, null), c, c.keySet());

        assertThat(valid.environment()).isEqualTo(Environment.PROD);
        assertThat(valid.authType()).isEqualTo(AuthType.TOKEN);
        assertThat(valid.defaultNamespace()).isEqualTo("default");
        assertThat(valid.allowedGroups()).isEmpty();
        assertThat(valid.credentials()).containsOnlyKeys(CredentialField.TOKEN);
    }

    @Test
    void aCertificateAndItsKeyPass() {
        for (TestPki.Pair pair : List.of(CLIENT, EC_CLIENT)) {
            Map<CredentialField, String> c = creds(
                    CredentialField.CLIENT_CERTIFICATE,
                    pair.certificatePem(),
                    CredentialField.CLIENT_KEY,
                    pair.keyPem(),
                    CredentialField.CA_CERTIFICATE,
                    OTHER.certificatePem());
            assertThat(strict.validate(input("dev", "K8S", DEFAULT_URL, "CERTIFICATE", false, null), c, c.keySet())
                            .credentials())
                    .containsOnlyKeys(
                            CredentialField.CLIENT_CERTIFICATE,
                            CredentialField.CLIENT_KEY,
                            CredentialField.CA_CERTIFICATE);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsAMismatch() {
        Map<CredentialField, String> c = creds(
                CredentialField.CLIENT_CERTIFICATE,
                CLIENT.certificatePem(),
                CredentialField.CLIENT_KEY,
                OTHER.keyPem());
        assertThat(violations(strict, input("dev", "K8S", DEFAULT_URL, "CERTIFICATE", false, null), c))
                .containsExactly("clientKeyPem:key-mismatch");
    }

    @Test
    void anEd25519ClientKeyIsAcceptedAndAnEd448OneRefused() {
        TestPki.Pair ed = TestPki.selfSignedEd25519("ed-client");
        Map<CredentialField, String> edCredentials =
                creds(CredentialField.CLIENT_CERTIFICATE, ed.certificatePem(), CredentialField.CLIENT_KEY, ed.keyPem());
        org.assertj.core.api.Assertions.assertThatCode(() -> strict.validate(
                        input("dev", "K8S", DEFAULT_URL, "CERTIFICATE", false, null),
                        edCredentials,
                        edCredentials.keySet()))
                .doesNotThrowAnyException();
        TestPki.Pair ed448 = TestPki.selfSignedEd448("ed448-client");
        assertThat(violations(
                        strict,
                        input("dev", "K8S", DEFAULT_URL, "CERTIFICATE", false, null),
                        creds(
                                CredentialField.CLIENT_CERTIFICATE,
                                ed448.certificatePem(),
                                CredentialField.CLIENT_KEY,
                                ed448.keyPem())))
                .containsExactly("clientKeyPem:key-algorithm-unsupported");
    }

    @Test
    void unreadablePemAndMissingPartsAreNamed() {
        Map<CredentialField, String> c = creds(
                CredentialField.CLIENT_CERTIFICATE,
                "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
                CredentialField.CA_CERTIFICATE,
                CLIENT.keyPem());
        assertThat(violations(strict, input("dev", "K8S", DEFAULT_URL, "CERTIFICATE", false, null), c))
                .containsExactly(
                        "clientCertificatePem:pem-unreadable",
                        "clientKeyPem:required",
                        "caCertificatePem:pem-unreadable");
    }

    @Test
    void aTokenIsRequiredAndPrintable() {
        assertThat(violations(strict, input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null), creds()))
                .containsExactly("token:required");
        assertThat(violations(
                        strict,
                        input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null),
                        creds(CredentialField.TOKEN, "abc\r\nX-Injected: 1")))
                .containsExactly("token:invalid-characters");
    }

    @Test
    void credentialsOfAnotherAuthTypeAreRefusedWhenGiven() {
        Map<CredentialField, String> c =
                creds(CredentialField.TOKEN, "abc", CredentialField.CLIENT_KEY, CLIENT.keyPem());
        assertThat(violations(strict, input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null), c))
                .containsExactly("clientKeyPem:not-applicable");
    }

    @Test
    void keptCredentialsOfAnotherAuthTypeAreDropped() {
        Map<CredentialField, String> effective =
                creds(CredentialField.TOKEN, "abc", CredentialField.CLIENT_KEY, CLIENT.keyPem());
        ValidOrchestrator valid =
                strict.validate(input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null), effective, java.util.Set.of());
        assertThat(valid.credentials()).containsOnlyKeys(CredentialField.TOKEN);
    }

    @Test
    void httpNeedsTheOptIn() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        OrchestratorInput http = input("dev", "K3S", "http://10.0.0.10:6443", "TOKEN", null, null);
        assertThat(violations(strict, http, c)).containsExactly("apiServerUrl:https-required");
        assertThat(new OrchestratorValidator(true, false)
                        .validate(http, c, c.keySet())
                        .apiServerUrl())
                .isEqualTo("http://10.0.0.10:6443");
        assertThat(violations(strict, input("dev", "K3S", "https://user:pw@10.0.0.10", "TOKEN", null, null), c))
                .containsExactly("apiServerUrl:malformed-url");
        assertThat(violations(strict, input("dev", "K3S", null, "TOKEN", null, null), c))
                .containsExactly("apiServerUrl:required");
    }

    @Test
    void inClusterIgnoresTheUrl() {
        ValidOrchestrator valid = strict.validate(
                input("dev", "K3S", "ftp://ignored", "IN_CLUSTER", null, null), creds(), java.util.Set.of());
        assertThat(valid.apiServerUrl()).isNull();
    }

    @Test
    void aCaContradictsSkipTlsVerify() {
        Map<CredentialField, String> c =
                creds(CredentialField.TOKEN, "abc", CredentialField.CA_CERTIFICATE, CLIENT.certificatePem());
        assertThat(violations(strict, input("dev", "K3S", DEFAULT_URL, "TOKEN", true, null), c))
                .containsExactly("skipTlsVerify:conflicts-with-ca-certificate");
    }

    @Test
    void skipTlsVerifyInProdNeedsTheOptIn() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        OrchestratorInput prod = input("prod", "K3S", DEFAULT_URL, "TOKEN", true, null);
        assertThat(violations(strict, prod, c)).containsExactly("skipTlsVerify:not-allowed-in-prod");
        assertThat(new OrchestratorValidator(false, true)
                        .validate(prod, c, c.keySet())
                        .skipTlsVerify())
                .isTrue();
        assertThat(strict.validate(input("staging", "K3S", DEFAULT_URL, "TOKEN", true, null), c, c.keySet())
                        .skipTlsVerify())
                .isTrue();
    }

    @Test
    void destinationsNameNamespacesOrPrefixesAndGroupsButNeverClusterNamespaces() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        OrchestratorInput in = withDestinations(
                null,
                List.of(
                        new dev.windlass.common.access.Destination(List.of("team-a-*", "shop"), List.of("team-a")),
                        new dev.windlass.common.access.Destination(List.of("kube-system", "Bad", "*"), List.of()),
                        new dev.windlass.common.access.Destination(List.of(), List.of("team-b", "team-b"))));

        assertThat(violations(strict, in, c))
                .containsExactly(
                        "destinations[1].namespaces[0]:namespace-pattern",
                        "destinations[1].namespaces[1]:namespace-pattern",
                        "destinations[1].groups:required",
                        "destinations[2].namespaces:required",
                        "destinations[2].groups[1]:duplicate");

        ValidOrchestrator valid = strict.validate(
                withDestinations(
                        null,
                        List.of(
                                new dev.windlass.common.access.Destination(List.of("team-a-*"), List.of("team-a")),
                                new dev.windlass.common.access.Destination(
                                        List.of("shop"), List.of("team-b", "team-a")))),
                c,
                c.keySet());
        assertThat(valid.allowedGroups()).containsExactly("team-a", "team-b");
    }

    @Test
    void aNameNeverHasTheFormOfAnId() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        OrchestratorInput in = input("dev", "K3S", DEFAULT_URL, "TOKEN", false, null);
        OrchestratorInput idLike = new OrchestratorInput(
                java.util.UUID.randomUUID().toString(),
                in.description(),
                in.environment(),
                in.type(),
                in.apiServerUrl(),
                in.authType(),
                in.token(),
                in.clientCertificatePem(),
                in.clientKeyPem(),
                in.caCertificatePem(),
                in.skipTlsVerify(),
                in.metalLbIpRange(),
                in.authentikOutpostUrl(),
                in.defaultNamespace(),
                in.allowedGroups(),
                in.destinations());
        assertThat(violations(strict, idLike, c)).containsExactly("name:not-an-id");
    }

    @Test
    void destinationHostsAreNamesOrSuffixes() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        OrchestratorInput in = withDestinations(
                null,
                List.of(new dev.windlass.common.access.Destination(
                        List.of("team-a-*"), List.of("team-a"), List.of("*.team-a.example.com", "*", "Shop.example"))));
        assertThat(violations(strict, in, c))
                .containsExactly("destinations[0].hosts[1]:host-pattern", "destinations[0].hosts[2]:host-pattern");
        ValidOrchestrator valid = strict.validate(
                withDestinations(
                        null,
                        List.of(new dev.windlass.common.access.Destination(
                                List.of("team-a-*"), List.of("team-a"), List.of("*.team-a.example.com")))),
                c,
                c.keySet());
        assertThat(valid.destinations().get(0).hosts()).containsExactly("*.team-a.example.com");
    }

    @Test
    void allowedGroupsAreOneDestinationEverywhereAndNotTogetherWithDestinations() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        ValidOrchestrator valid = strict.validate(withDestinations(List.of("ops"), null), c, c.keySet());
        assertThat(valid.destinations())
                .containsExactly(new dev.windlass.common.access.Destination(List.of("*"), List.of("ops")));

        assertThat(violations(
                        strict,
                        withDestinations(
                                List.of("ops"),
                                List.of(new dev.windlass.common.access.Destination(List.of("x"), List.of("ops")))),
                        c))
                .containsExactly("allowedGroups:conflict");
    }

    private static OrchestratorInput withDestinations(
            List<String> groups, List<dev.windlass.common.access.Destination> destinations) {
        return new OrchestratorInput(
                "edge-1",
                null,
                "dev",
                "K3S",
                DEFAULT_URL,
                "TOKEN",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                groups,
                destinations);
    }

    @Test
    void namesNamespacesAndGroupsFollowTheirRules() {
        OrchestratorInput in = new OrchestratorInput(
                "a".repeat(64),
                null,
                "dev",
                "K3S",
                DEFAULT_URL,
                "TOKEN",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "Bad_Namespace",
                List.of("team-a", " ", "team-a"),
                null);
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        assertThat(violations(strict, in, c))
                .containsExactly(
                        "name:max-length",
                        "defaultNamespace:dns-label",
                        "allowedGroups[1]:required",
                        "allowedGroups[2]:duplicate");
    }

    @Test
    void unknownEnumerationsNameTheAllowedValues() {
        ValidationFailedException e = catchThrowableOfType(
                ValidationFailedException.class,
                () -> strict.validate(
                        input("qa", "K9S", DEFAULT_URL, "PASSWORD", null, null), creds(), java.util.Set.of()));
        assertThat(e.violations())
                .extracting(Violation::field, Violation::rule, Violation::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "environment", "unknown-value", "environment must be one of dev, staging, prod"),
                        org.assertj.core.groups.Tuple.tuple(
                                "type", "unknown-value", "type must be one of K3S, K8S, EKS, GKE, AKS"),
                        org.assertj.core.groups.Tuple.tuple(
                                "authType", "unknown-value", "authType must be one of IN_CLUSTER, TOKEN, CERTIFICATE"));
    }

    @Test
    void violationMessagesNeverQuoteACredential() {
        String token = "super-secret-token\nwith-a-newline";
        assertThatThrownBy(() -> strict.validate(
                        input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null),
                        creds(CredentialField.TOKEN, token),
                        java.util.Set.of(CredentialField.TOKEN)))
                .isInstanceOfSatisfying(
                        ValidationFailedException.class,
                        e -> assertThat(e.violations().toString()).doesNotContain("super-secret"));
    }

    @Test
    void aNulCharacterInFreeTextIsRefusedNamingTheField() {
        OrchestratorInput in = new OrchestratorInput(
                "edge-1",
                "edge\u0000cluster",
                "dev",
                "K3S",
                DEFAULT_URL,
                "TOKEN",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("team-a", "team\u0000b"),
                null);
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc.def");
        assertThat(violations(strict, in, c))
                .containsExactly("description:invalid-characters", "allowedGroups[1]:invalid-characters");
    }

    @Test
    void anOutpostUrlIsAnHttpOrHttpsUrlKeptWithoutItsTrailingSlash() {
        Map<CredentialField, String> c = creds(CredentialField.TOKEN, "abc");
        assertThat(strict.validate(withOutpost("http://ak-outpost.authentik:9000/"), c, c.keySet())
                        .authentikOutpostUrl())
                .isEqualTo("http://ak-outpost.authentik:9000");
        assertThat(strict.validate(withOutpost("https://auth.example.com/prefix"), c, c.keySet())
                        .authentikOutpostUrl())
                .isEqualTo("https://auth.example.com/prefix");
        assertThat(strict.validate(withOutpost(" "), c, c.keySet()).authentikOutpostUrl())
                .isNull();
        for (String bad : List.of(
                "ak-outpost:9000",
                "ftp://ak-outpost",
                "http://user:pw@ak-outpost",
                "http://ak-outpost/?next=x",
                "http://ak-outpost/#x",
                "http://[bad")) {
            assertThat(violations(strict, withOutpost(bad), c))
                    .as(bad)
                    .containsExactly("authentikOutpostUrl:malformed-url");
        }
        assertThat(violations(strict, withOutpost("http://a/" + "p".repeat(2048)), c))
                .containsExactly("authentikOutpostUrl:max-length");
    }

    private static OrchestratorInput withOutpost(String url) {
        OrchestratorInput in = input("dev", "K3S", DEFAULT_URL, "TOKEN", null, null);
        return new OrchestratorInput(
                in.name(),
                in.description(),
                in.environment(),
                in.type(),
                in.apiServerUrl(),
                in.authType(),
                in.token(),
                in.clientCertificatePem(),
                in.clientKeyPem(),
                in.caCertificatePem(),
                in.skipTlsVerify(),
                in.metalLbIpRange(),
                url,
                in.defaultNamespace(),
                in.allowedGroups(),
                in.destinations());
    }
}
