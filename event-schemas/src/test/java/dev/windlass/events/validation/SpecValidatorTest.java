package dev.windlass.events.validation;

import static dev.windlass.events.JsonEdits.edit;
import static dev.windlass.events.JsonEdits.element;
import static dev.windlass.events.JsonEdits.object;
import static dev.windlass.events.TestEvents.fullSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windlass.events.spec.AppSpec;
import dev.windlass.events.spec.ApprovalsSpec;
import dev.windlass.events.spec.Exposure;
import dev.windlass.events.spec.ImageUpdatesSpec;
import dev.windlass.events.spec.PortSpec;
import dev.windlass.events.spec.SpecLimits;
import dev.windlass.events.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private static List<Violation> violationsAfter(Consumer<ObjectNode> change) {
        return SpecValidator.validate(edit(fullSpec(), change));
    }

    @Test
    void fullAndMinimalSpecsAreValid() {
        assertThat(SpecValidator.validate(fullSpec())).isEmpty();
        assertThat(SpecValidator.validate(AppSpec.of("whoami", "traefik/whoami")))
                .isEmpty();
    }

    @Test
    void nullSpecIsRequired() {
        assertThat(SpecValidator.validate(null))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec", Rules.REQUIRED, "is required"));
    }

    @Test
    void missingNameAndImageAreReportedByField() {
        assertThat(SpecValidator.validate(AppSpec.of(null, null)))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.name", Rules.REQUIRED), tuple("spec.image", Rules.REQUIRED));
    }

    @Test
    void appNameMustBeADns1035Label() {
        assertThat(SpecValidator.validate(AppSpec.of("9lives", "nginx")))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.path()).isEqualTo("spec.name");
                    assertThat(v.rule()).isEqualTo(Rules.DNS_1035_LABEL);
                    assertThat(v.message()).contains("starting with a letter");
                });
    }

    @Test
    void imageMustFollowTheReferenceGrammar() {
        assertThat(SpecValidator.validate(AppSpec.of("web", "Nginx:latest")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.image", Rules.IMAGE));
        assertThat(SpecValidator.validate(AppSpec.of("web", "a/" + "b".repeat(ImageReference.MAX_LENGTH))))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.image", Rules.MAX_LENGTH));
    }

    @Test
    void imageUpdatePoliciesAreOneOfTheirForms() {
        AppSpec web = AppSpec.of("web", "nginx:1.25.0");
        assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec("glob:1.25.*"))))
                .isEmpty();
        assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec("newest"))))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.imageUpdates.policy", Rules.IMAGE_POLICY));
        assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec(null))))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.imageUpdates.policy", Rules.REQUIRED));
    }

    @Test
    void aPollIntervalIsADurationFromTenSecondsToADay() {
        AppSpec web = AppSpec.of("web", "nginx:1.25.0");
        assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec("minor", null, "PT10S"))))
                .isEmpty();
        assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec("minor", null, "P1D"))))
                .isEmpty();
        for (String poll : List.of("PT9S", "P2D", "1m", "@every 1m", "PT")) {
            assertThat(SpecValidator.validate(web.withImageUpdates(new ImageUpdatesSpec("minor", null, poll))))
                    .as(poll)
                    .extracting(Violation::path, Violation::rule)
                    .containsExactly(tuple("spec.imageUpdates.poll", Rules.RANGE));
        }
    }

    @Test
    void approvalsNeedACountGroupsAndADeadlineInRange() {
        AppSpec web = AppSpec.of("web", "nginx:1.25.0");
        assertThat(SpecValidator.validate(web.withImageUpdates(
                        new ImageUpdatesSpec("minor", new ApprovalsSpec(2, List.of("qa", "ops"), "PT8H")))))
                .isEmpty();
        assertThat(SpecValidator.validate(
                        web.withImageUpdates(new ImageUpdatesSpec("minor", new ApprovalsSpec(0, List.of(), "P31D")))))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.imageUpdates.approvals.count", Rules.RANGE),
                        tuple("spec.imageUpdates.approvals.groups", Rules.REQUIRED),
                        tuple("spec.imageUpdates.approvals.deadline", Rules.RANGE));
        assertThat(SpecValidator.validate(web.withImageUpdates(
                        new ImageUpdatesSpec("minor", new ApprovalsSpec(null, List.of("qa", "qa"), "24h")))))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.imageUpdates.approvals.count", Rules.REQUIRED),
                        tuple("spec.imageUpdates.approvals.groups[1]", Rules.UNIQUE),
                        tuple("spec.imageUpdates.approvals.deadline", Rules.RANGE));
    }

    @Test
    void replicasAreBounded() {
        assertThat(violationsAfter(spec -> spec.put("replicas", SpecLimits.MAX_REPLICAS + 1)))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec.replicas", Rules.RANGE, "must be between 0 and 100"));
    }

    @Test
    void portNumbersAreInRangeAndUniquePerProtocol() {
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("containerPort", 70000)))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec.ports[1].containerPort", Rules.RANGE, "must be between 1 and 65535"));
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("containerPort", 8080)))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ports[1].containerPort", Rules.UNIQUE));
        // the same number over UDP is a different port
        assertThat(violationsAfter(spec -> element(spec, "ports", 2).put("containerPort", 8080)))
                .isEmpty();
    }

    @Test
    void portNamesAreIanaServiceNamesAndUnique() {
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("name", "metrics-endpoint")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ports[1].name", Rules.PORT_NAME));
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("name", "http")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec.ports[1].name", Rules.UNIQUE, "is already the name of an earlier port"));
    }

    @Test
    void nodePortOnlyWithNodePortExposureAndInItsRange() {
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("nodePort", 30001)))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.ports[1].nodePort", Rules.FORBIDDEN, "must not be set unless exposure is NODE_PORT"));
        assertThat(violationsAfter(spec -> element(spec, "ports", 3).put("nodePort", 8080)))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec.ports[3].nodePort", Rules.RANGE, "must be between 30000 and 32767"));
    }

    @Test
    void ingressNeedsExactlyOneTcpIngressPort() {
        assertThat(violationsAfter(spec -> element(spec, "ports", 0).put("exposure", "CLUSTER")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("spec.ingress", Rules.CONFLICT, "needs a port with exposure INGRESS to route to"));
        assertThat(violationsAfter(spec -> element(spec, "ports", 1).put("exposure", "INGRESS")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("spec.ports[1].exposure", Rules.CONFLICT, "INGRESS may be used by one port only"));
        assertThat(violationsAfter(spec -> spec.remove("ingress")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("spec.ports[0].exposure", Rules.CONFLICT, "INGRESS needs an ingress in the spec"));
        assertThat(violationsAfter(spec -> element(spec, "ports", 0).put("protocol", "UDP")))
                .extracting(Violation::path, Violation::rule)
                .contains(tuple("spec.ports[0].exposure", Rules.CONFLICT));
    }

    @Test
    void ingressHostPathAndIssuerAreChecked() {
        assertThat(violationsAfter(spec -> object(spec, "ingress").put("host", "10.0.0.1")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ingress.host", Rules.HOST));
        assertThat(violationsAfter(spec -> object(spec, "ingress").put("host", "Shop.Example.com")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ingress.host", Rules.HOST));
        assertThat(violationsAfter(spec -> object(spec, "ingress").put("path", "shop")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ingress.path", Rules.PATH));
        assertThat(violationsAfter(spec -> object(spec, "ingress").put("tlsIssuer", "Lets Encrypt")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.ingress.tlsIssuer", Rules.DNS_SUBDOMAIN));
    }

    @Test
    void quantitiesFollowTheKubernetesGrammar() {
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("cpu", "half")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.resources.requests.cpu",
                        Rules.QUANTITY,
                        "must be a Kubernetes quantity such as 500m, 2, 1.5, 256Mi or 10Gi"));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "limits").put("memory", "1GB")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.resources.limits.memory", Rules.QUANTITY));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("memory", "0")))
                .extracting(Violation::path, Violation::message)
                .containsExactly(tuple("spec.resources.requests.memory", "must be greater than zero"));
    }

    @Test
    void memoryInMillibytesIsRejectedAsATypo() {
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("memory", "256m")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.resources.requests.memory",
                        Rules.QUANTITY,
                        "must not count thousandths of a byte (suffix 'm'); did you mean 'Mi'?"));
    }

    @Test
    void requestsMayNotExceedLimitsAcrossUnits() {
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("cpu", "1001m")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple("spec.resources.requests.cpu", Rules.LIMIT, "must not exceed limits.cpu"));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("memory", "0.5Gi")))
                .isEmpty();
        assertThat(violationsAfter(
                        spec -> object(object(spec, "resources"), "requests").put("memory", "537M")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.resources.requests.memory", Rules.LIMIT));
    }

    @Test
    void volumesNeedUniqueNamesAndMountPathsAndAPositiveSize() {
        assertThat(violationsAfter(spec -> spec.withArray("volumes")
                        .addObject()
                        .put("name", "uploads")
                        .put("mountPath", "/var/lib/uploads/")
                        .put("size", "1Gi")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.volumes[1].name", Rules.UNIQUE), tuple("spec.volumes[1].mountPath", Rules.UNIQUE));
        assertThat(violationsAfter(spec -> element(spec, "volumes", 0).put("mountPath", "/data/../etc")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.volumes[0].mountPath", Rules.PATH));
        assertThat(violationsAfter(spec -> element(spec, "volumes", 0).put("size", "0Gi")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.volumes[0].size", Rules.QUANTITY));
        assertThat(violationsAfter(spec -> element(spec, "volumes", 0).remove("size")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.volumes[0].size", Rules.REQUIRED));
    }

    @Test
    void probesMustTargetADeclaredTcpPort() {
        assertThat(violationsAfter(
                        spec -> object(object(spec, "probes"), "liveness").put("port", 8081)))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.probes.liveness.port",
                        Rules.UNDECLARED,
                        "must be the containerPort of one of the spec's TCP ports"));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "probes"), "readiness").put("port", 5353)))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.probes.readiness.port", Rules.UNDECLARED));
    }

    @Test
    void httpProbesNeedAPathAndTcpProbesTakeNone() {
        assertThat(violationsAfter(
                        spec -> object(object(spec, "probes"), "liveness").remove("path")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.probes.liveness.path", Rules.REQUIRED));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "probes"), "readiness").put("path", "/ready")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("spec.probes.readiness.path", Rules.FORBIDDEN, "must not be set for a TCP probe"));
        assertThat(violationsAfter(
                        spec -> object(object(spec, "probes"), "readiness").put("periodSeconds", 0)))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.probes.readiness.periodSeconds", Rules.RANGE));
    }

    @Test
    void envNamesAreCIdentifiersAndNotBothPlainAndSecret() {
        assertThat(violationsAfter(spec -> object(spec, "env").put("LOG-LEVEL", "debug")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.env[\"LOG-LEVEL\"]", Rules.ENV_NAME));
        assertThat(violationsAfter(spec -> object(spec, "env").put("DB_PASSWORD", "visible")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.secretEnv.DB_PASSWORD", Rules.UNIQUE));
        assertThat(violationsAfter(spec -> object(spec, "env").putNull("EMPTY")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.env.EMPTY", Rules.REQUIRED));
    }

    @Test
    void countsAreLimited() {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i <= SpecLimits.MAX_ENV; i++) {
            env.put("VAR_" + i, "x");
        }
        List<PortSpec> ports = new ArrayList<>();
        for (int i = 0; i <= SpecLimits.MAX_PORTS; i++) {
            ports.add(PortSpec.cluster("p" + i, 1000 + i));
        }
        AppSpec spec = new AppSpec(
                "web",
                "nginx",
                1,
                Collections.nCopies(SpecLimits.MAX_COMMAND_ITEMS + 1, "x"),
                null,
                env,
                null,
                ports,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(SpecValidator.validate(spec))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.command", Rules.MAX_ITEMS),
                        tuple("spec.env", Rules.MAX_ITEMS),
                        tuple("spec.ports", Rules.MAX_ITEMS));
    }

    @Test
    void labelsFollowKubernetesSyntaxAndReservedKeysAreRefused() {
        assertThat(violationsAfter(spec -> object(spec, "labels").put("app.kubernetes.io/part-of", "-shop")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.labels[\"app.kubernetes.io/part-of\"]", Rules.LABEL_VALUE));
        assertThat(violationsAfter(spec -> object(spec, "labels").put("a/b/c", "x")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.labels[\"a/b/c\"]", Rules.LABEL_KEY));
        assertThat(violationsAfter(spec -> object(spec, "labels").put("app.kubernetes.io/managed-by", "helm")))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.labels[\"app.kubernetes.io/managed-by\"]",
                        Rules.RESERVED,
                        "is set by Windlass and cannot be overridden"));
        assertThat(violationsAfter(spec -> object(spec, "annotations").put("windlass.dev/revision", "9")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.annotations[\"windlass.dev/revision\"]", Rules.RESERVED));
    }

    @Test
    void networkPolicyPeersAreUniqueAppNames() {
        assertThat(violationsAfter(spec -> spec.putObject("networkPolicy")
                        .putArray("allowFrom")
                        .add("checkout")
                        .add("Checkout")
                        .add("checkout")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.networkPolicy.allowFrom[1]", Rules.DNS_1035_LABEL),
                        tuple("spec.networkPolicy.allowFrom[2]", Rules.UNIQUE));
        assertThat(violationsAfter(spec -> spec.putObject("networkPolicy")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(tuple("spec.networkPolicy.allowFrom", Rules.REQUIRED));
    }

    @Test
    void capabilitiesGivenBackAreThoseBaselineAllowsAndOnlyNetBindServiceWhenRestricted() {
        assertThat(violationsAfter(spec -> spec.putObject("security")
                        .putArray("addCapabilities")
                        .add("NET_ADMIN")
                        .add("CHOWN")
                        .add("CHOWN")))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.security.addCapabilities[0]", Rules.FORBIDDEN),
                        tuple("spec.security.addCapabilities[2]", Rules.UNIQUE));
        assertThat(violationsAfter(spec -> {
                    var security = spec.putObject("security");
                    security.put("restricted", true);
                    security.putArray("addCapabilities").add("NET_BIND_SERVICE").add("SETUID");
                }))
                .extracting(Violation::path, Violation::rule, Violation::message)
                .containsExactly(tuple(
                        "spec.security.addCapabilities[1]",
                        Rules.FORBIDDEN,
                        "is not allowed with restricted: true (only NET_BIND_SERVICE)"));
        assertThat(violationsAfter(spec -> {
                    var security = spec.putObject("security");
                    security.put("restricted", true);
                    security.put("serviceAccountToken", true);
                    security.putArray("addCapabilities").add("NET_BIND_SERVICE");
                }))
                .isEmpty();
    }

    @Test
    void nullElementsAreReportedNotThrown() {
        AppSpec spec = new AppSpec(
                "web",
                "nginx",
                null,
                Arrays.asList("run", null),
                null,
                null,
                null,
                Arrays.asList(PortSpec.cluster("http", 80), null),
                null,
                null,
                Arrays.asList((VolumeSpec) null),
                null,
                null,
                null,
                null);
        assertThat(SpecValidator.validate(spec))
                .extracting(Violation::path, Violation::rule)
                .containsExactly(
                        tuple("spec.command[1]", Rules.REQUIRED),
                        tuple("spec.ports[1]", Rules.REQUIRED),
                        tuple("spec.volumes[0]", Rules.REQUIRED));
    }

    @Test
    void reportsUnderACustomPath() {
        assertThat(SpecValidator.validate(AppSpec.of("web", null), ""))
                .extracting(Violation::path)
                .containsExactly("image");
        assertThat(SpecValidator.validate(AppSpec.of("web", null), "body.app"))
                .extracting(Violation::path)
                .containsExactly("body.app.image");
    }

    @Test
    void messagesNeverRepeatTheRejectedValue() {
        String secretLooking = "hunter2-XYZ-not-valid-anywhere";
        AppSpec spec = edit(fullSpec(), node -> {
            object(node, "secretEnv").put("DB_PASSWORD", secretLooking.repeat(700));
            object(node, "secretEnv").put("bad-name", secretLooking);
            node.put("image", secretLooking);
            element(node, "ports", 1).put("exposure", Exposure.INGRESS.name());
        });
        List<Violation> violations = SpecValidator.validate(spec);
        assertThat(violations).hasSizeGreaterThanOrEqualTo(4);
        assertThat(violations).allSatisfy(v -> assertThat(v.toString()).doesNotContain(secretLooking));
    }
}
