package dev.windlass.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windlass.devstack.AuthentikIssuer.DevUser;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.events.CloudEventHeaders;
import dev.windlass.events.Topics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * The checks after a fault: every requested deployment reached a final phase, through the API and on the status
 * topic, exactly once; each app's revisions were made and applied in the order they were asked for; and the
 * cluster holds exactly the objects of each app's last revision.
 */
public final class Ledger {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "SUPERSEDED", "DELETED");
    private static final List<String> ORDER = List.of("ACCEPTED", "APPLYING", "PROGRESSING", "FINAL");
    private static final String MANAGED = "app.kubernetes.io/managed-by";
    private static final String NAME = "app.kubernetes.io/name";
    private static final String REVISION = "windlass.dev/revision";

    private final LocalSuite suite;
    private final Http http;
    private final TopicTap tap;

    public Ledger(LocalSuite suite, Http http, TopicTap tap) {
        this.suite = suite;
        this.http = http;
        this.tap = tap;
    }

    /** What the checks found, for the report. */
    public record Outcome(
            int requested,
            int finalInApi,
            int finalOnTopic,
            Map<String, Integer> phases,
            int redeliveredStatusRecords,
            int appsChecked,
            int objectsChecked,
            Duration settleTime) {}

    /** Waits for every deployment to settle, then runs every check; fails with what differed. */
    public Outcome check(List<Workload.Sent> sent, List<String> apps, Duration timeout) throws Exception {
        long begin = System.nanoTime();
        Map<UUID, Workload.Sent> byId = new HashMap<>();
        for (Workload.Sent s : sent) {
            assertThat(byId.put(s.deploymentId(), s))
                    .as("two requests answered with one deployment id")
                    .isNull();
        }
        Map<String, Map<UUID, JsonNode>> listed = new LinkedHashMap<>();
        Awaitility.await("every deployment in a final phase, in the API and on the status topic")
                .atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (String app : apps) {
                        listed.put(app, list(app));
                    }
                    boolean apiFinal = listed.values().stream()
                            .flatMap(m -> m.values().stream())
                            .allMatch(d -> FINAL.contains(d.get("phase").asText()));
                    int count = listed.values().stream().mapToInt(Map::size).sum();
                    return apiFinal
                            && count >= sent.size()
                            && finalOnTopic(byId.keySet()).size() == byId.size();
                });
        Duration settle = Duration.ofNanos(System.nanoTime() - begin);

        // the API: exactly the deployments asked for, none vanished, none made twice
        Map<UUID, JsonNode> all = new HashMap<>();
        listed.values().forEach(all::putAll);
        assertThat(all.keySet()).as("deployments listed by the API").containsExactlyInAnyOrderElementsOf(byId.keySet());
        Map<String, Integer> phases = new TreeMap<>();
        for (JsonNode d : all.values()) {
            String phase = d.get("phase").asText();
            phases.merge(phase, 1, Integer::sum);
            if (phase.equals("FAILED")) {
                assertThat(d.path("message").asText())
                        .as("reason of failed " + d.get("id"))
                        .isNotBlank();
            }
        }

        // the status topic: per deployment, each phase once, in order, one final phase that matches the API
        Map<UUID, List<TopicTap.Rec>> statuses = statusRecords(byId.keySet());
        int redelivered = 0;
        for (var entry : statuses.entrySet()) {
            Set<String> ids = new HashSet<>();
            List<String> sequence = new ArrayList<>();
            for (TopicTap.Rec r : entry.getValue()) {
                if (!ids.add(r.header(CloudEventHeaders.ID))) {
                    redelivered++;
                    continue;
                }
                JsonNode status = Target.JSON.readTree(r.value());
                if (isRetryNote(status)) {
                    continue; // APPLYING again, saying what is retried and why: not a phase of its own
                }
                sequence.add(status.get("phase").asText());
            }
            assertThat(sequence)
                    .as("status events of " + entry.getKey() + " (" + byId.get(entry.getKey()) + ")")
                    .doesNotHaveDuplicates();
            List<String> finals = sequence.stream().filter(FINAL::contains).toList();
            assertThat(finals).as("final status events of " + entry.getKey()).hasSize(1);
            assertThat(sequence.get(sequence.size() - 1)).isEqualTo(finals.get(0));
            assertThat(finals.get(0))
                    .as("final phase of " + entry.getKey() + " on the topic and in the API")
                    .isEqualTo(all.get(entry.getKey()).get("phase").asText());
            List<Integer> ranks = sequence.stream()
                    .map(p -> ORDER.indexOf(FINAL.contains(p) ? "FINAL" : p))
                    .toList();
            assertThat(ranks).as("phase order of " + entry.getKey()).isSorted();
        }
        int finalOnTopic = finalOnTopic(byId.keySet()).size();
        assertThat(finalOnTopic).as("requests in = final statuses out").isEqualTo(sent.size());

        // revisions: made in the order asked for, applied in that order, one per request
        int objects = 0;
        KubernetesClient kube = suite.kube().adminClient();
        for (String app : apps) {
            List<Workload.Sent> ofApp = sent.stream()
                    .filter(s -> s.app().equals(app))
                    .sorted((a, b) -> Integer.compare(a.seq(), b.seq()))
                    .toList();
            JsonNode revisions = revisions(app);
            TreeMap<Integer, JsonNode> byNumber = new TreeMap<>();
            revisions.forEach(r -> byNumber.put(r.get("revision").asInt(), r));
            assertThat(byNumber).as("revisions of " + app).hasSize(ofApp.size());
            List<UUID> inRevisionOrder = byNumber.values().stream()
                    .map(r -> UUID.fromString(r.get("deploymentId").asText()))
                    .toList();
            assertThat(inRevisionOrder)
                    .as("deployments of " + app + " in revision order")
                    .containsExactlyElementsOf(
                            ofApp.stream().map(Workload.Sent::deploymentId).toList());
            List<Integer> applied = appliedRevisions(app);
            assertThat(applied)
                    .as("revisions of " + app + " applied, in topic order")
                    .isSorted()
                    .doesNotHaveDuplicates();

            // the cluster: exactly the objects of the last revision
            Workload.Sent last = ofApp.get(ofApp.size() - 1);
            JsonNode lastDeployment = all.get(last.deploymentId());
            String lastRevision = lastDeployment.get("revision").asText();
            Map<String, String> labels = Map.of(MANAGED, "windlass", NAME, app);
            List<HasMetadata> found = new ArrayList<>();
            found.addAll(kube.apps()
                    .deployments()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            found.addAll(kube.services()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            found.addAll(kube.secrets()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            found.addAll(kube.persistentVolumeClaims()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            found.addAll(kube.network()
                    .networkPolicies()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            found.addAll(kube.network()
                    .v1()
                    .ingresses()
                    .inNamespace(Target.NAMESPACE)
                    .withLabels(labels)
                    .list()
                    .getItems());
            if (!lastDeployment.get("phase").asText().equals("SUCCEEDED")) {
                // a last revision that failed leaves whatever the failure left: reported, not judged here
                Reliability.report()
                        .note(app + ": last revision " + lastRevision + " ended "
                                + lastDeployment.get("phase").asText() + " ("
                                + lastDeployment.path("message").asText() + ")");
                continue;
            }
            List<String> expected = new ArrayList<>(List.of("Deployment/" + app, "Service/" + app));
            if (last.hasSecret()) {
                expected.add("Secret/" + app + "-env");
            }
            assertThat(found.stream()
                            .map(o -> o.getKind() + "/" + o.getMetadata().getName()))
                    .as("objects of " + app + " on the cluster")
                    .containsExactlyInAnyOrderElementsOf(expected);
            for (HasMetadata o : found) {
                assertThat(o.getMetadata().getLabels())
                        .as(o.getKind() + "/" + o.getMetadata().getName() + " labels")
                        .containsEntry(REVISION, lastRevision);
            }
            var deployment = kube.apps()
                    .deployments()
                    .inNamespace(Target.NAMESPACE)
                    .withName(app)
                    .get();
            assertThat(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .as("image of " + app)
                    .endsWith(":r" + last.seq());
            objects += found.size();
        }
        return new Outcome(
                sent.size(),
                (int) all.values().stream()
                        .filter(d -> FINAL.contains(d.get("phase").asText()))
                        .count(),
                finalOnTopic,
                phases,
                redelivered,
                apps.size(),
                objects,
                settle);
    }

    private Map<UUID, JsonNode> list(String app) throws IOException, InterruptedException {
        Http.Answer answer = http.get(
                suite.gatewayUrl() + "/api/deployments?orchestrator=" + Target.ORCHESTRATOR + "&namespace="
                        + Target.NAMESPACE + "&app=" + app + "&size=100",
                suite.oidc().accessToken(DevUser.VIEWER));
        if (answer.status() != 200) {
            throw new IllegalStateException("listing " + app + ": " + answer.status() + " " + answer.body());
        }
        Map<UUID, JsonNode> found = new LinkedHashMap<>();
        for (JsonNode item : Target.JSON.readTree(answer.body()).get("items")) {
            found.put(UUID.fromString(item.get("id").asText()), item);
        }
        return found;
    }

    private JsonNode revisions(String app) throws IOException, InterruptedException {
        Http.Answer answer = http.get(
                suite.gatewayUrl() + "/api/apps/" + Target.ORCHESTRATOR + "/" + Target.NAMESPACE + "/" + app
                        + "/revisions",
                suite.oidc().accessToken(DevUser.VIEWER));
        assertThat(answer.status())
                .as("revisions of " + app + ": " + answer.body())
                .isEqualTo(200);
        JsonNode node = Target.JSON.readTree(answer.body());
        return node.isArray() ? node : node.get("items");
    }

    private Map<UUID, List<TopicTap.Rec>> statusRecords(Set<UUID> ids) throws IOException {
        Map<UUID, List<TopicTap.Rec>> out = new LinkedHashMap<>();
        for (TopicTap.Rec r : tap.topic(Topics.DEPLOY_STATUS)) {
            UUID id = UUID.fromString(
                    Target.JSON.readTree(r.value()).get("deploymentId").asText());
            if (ids.contains(id)) {
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private Set<UUID> finalOnTopic(Set<UUID> ids) throws IOException {
        Set<UUID> out = new HashSet<>();
        for (TopicTap.Rec r : tap.topic(Topics.DEPLOY_STATUS)) {
            JsonNode node = Target.JSON.readTree(r.value());
            UUID id = UUID.fromString(node.get("deploymentId").asText());
            if (ids.contains(id) && FINAL.contains(node.get("phase").asText())) {
                out.add(id);
            }
        }
        return out;
    }

    /** A status event that repeats APPLYING (or ACCEPTED, for an undeploy) to say what is being retried. */
    static boolean isRetryNote(JsonNode status) {
        return status.path("message").asText().startsWith("retrying ")
                && Set.of("ACCEPTED", "APPLYING").contains(status.path("phase").asText());
    }

    /**
     * The revisions of {@code app} in the order their APPLYING events were published (repeats of one id once, retry
     * notes left out: they repeat APPLYING while the same revision is retried).
     */
    private List<Integer> appliedRevisions(String app) throws IOException {
        Set<String> seen = new HashSet<>();
        List<Integer> out = new ArrayList<>();
        for (TopicTap.Rec r : tap.topic(Topics.DEPLOY_STATUS)) {
            if (!seen.add(r.header(CloudEventHeaders.ID))) {
                continue;
            }
            JsonNode node = Target.JSON.readTree(r.value());
            if (node.get("app").asText().equals(app)
                    && node.get("phase").asText().equals("APPLYING")
                    && !isRetryNote(node)
                    && node.has("revision")) {
                out.add(node.get("revision").asInt());
            }
        }
        return out;
    }

    static String summary(Outcome o) {
        return o.phases().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
