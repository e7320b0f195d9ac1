package dev.windlass.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.AuthentikIssuer;
import dev.windlass.devstack.local.LocalSuite;
import dev.windlass.events.RequestTrust;
import dev.windlass.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs last: reads everything the run produced — every service log, every record on every topic, every answer any
 * service gave, each service's {@code /q/metrics} when it has one — and looks for every secret the run knows: the
 * orchestrator's ServiceAccount token, the client-certificate key, the OIDC client secrets, the sealing keys from
 * {@code keys.properties}, the secret env values sent in deploy specs, and any bearer token (a JWT).
 *
 * <p>No secret env value may appear anywhere, the topics included: on the requests topic they are sealed (JWE), and a
 * dead letter replaces any value sent in the clear. The one bearer token allowed in a record is the requester's own,
 * in the {@code authorization} header of a record on the requests topic (docs/events.md, "Who asked"); a dead letter
 * keeps none.
 */
@Order(100)
class SecretScanTest {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    @Test
    void noSecretAnywhereInWhatTheRunProduced() throws Exception {
        LocalSuite suite = Reliability.suite();
        Target target = Reliability.target();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("orchestrator ServiceAccount token", target.serviceAccountToken());
        secrets.put("client certificate key", keyBody(suite.kube().adminClientKeyPem()));
        secrets.put("OIDC client secret", AuthentikIssuer.CLIENT_SECRET);
        secrets.put("service client secret", AuthentikIssuer.SERVICE_CLIENT_SECRET);
        Properties keys = new Properties();
        try (var in = Files.newInputStream(suite.options().state().resolve("keys.properties"))) {
            keys.load(in);
        }
        keys.forEach((k, v) -> secrets.put("sealing key " + k, v.toString()));
        Set<String> envSecrets = target.secrets();
        envSecrets.stream()
                .filter(s -> !s.equals(target.serviceAccountToken()))
                .forEach(s -> secrets.put("secret env value " + s.substring(0, 14) + "…", s));

        List<String> findings = new ArrayList<>();
        long bytes = 0;
        int files = 0;

        // service logs
        Path logs = suite.options().state().resolve("logs");
        try (Stream<Path> paths = Files.list(logs)) {
            for (Path log : paths.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                bytes += text.length();
                files++;
                scan("log " + log.getFileName(), text, secrets, true, findings);
            }
        }
        // every answer
        String answers = Files.readString(Reliability.http().transcript(), StandardCharsets.UTF_8);
        bytes += answers.length();
        scan("HTTP answers", answers, secrets, true, findings);

        // metrics, where a service has them
        int metrics = 0;
        for (String service : List.of(LocalSuite.GATEWAY, LocalSuite.REGISTRY, LocalSuite.DEPLOYER)) {
            Http.Answer answer = Reliability.http().get(suite.service(service).url() + "/q/metrics", null);
            if (answer.status() == 200) {
                metrics++;
                scan("metrics of " + service, answer.body(), secrets, true, findings);
            }
        }

        // every record on every topic: keys, values, headers
        int records = 0;
        for (TopicTap.Rec r : Reliability.tap().records(x -> true)) {
            records++;
            StringBuilder text = new StringBuilder();
            text.append(r.keyText()).append('\n').append(r.valueText()).append('\n');
            boolean request = r.topic().equals(Topics.DEPLOY_REQUESTS);
            r.headers().forEach((k, v) -> {
                if (request && RequestTrust.isCredentialHeader(k)) {
                    // the requester's token, by contract; still no other secret in it
                    scan(
                            "token header of " + r.topic() + "@" + r.offset(),
                            new String(v, StandardCharsets.UTF_8),
                            secrets,
                            false,
                            findings);
                    return;
                }
                text.append(k)
                        .append('=')
                        .append(new String(v, StandardCharsets.UTF_8))
                        .append('\n');
            });
            bytes += text.length();
            scan("record " + r.topic() + "@" + r.offset(), text.toString(), secrets, true, findings);
        }

        Report report = Reliability.report();
        String section = "security: secret scan";
        report.figure(section, "secret values looked for", secrets.size() + " + any JWT");
        report.figure(section, "log files", files);
        report.figure(section, "topic records", records);
        report.figure(section, "metrics endpoints", metrics);
        report.figure(section, "characters scanned", bytes);
        report.figure(section, "findings", findings.size());
        assertThat(findings).as("secrets found").isEmpty();
        assertThat(records).isPositive();
    }

    @AfterAll
    static void writeReport() {
        Reliability.report().write(Reliability.output().resolve("reliability-report.md"));
    }

    private static void scan(
            String where, String text, Map<String, String> secrets, boolean jwt, List<String> findings) {
        for (var secret : secrets.entrySet()) {
            if (!secret.getValue().isEmpty() && text.contains(secret.getValue())) {
                findings.add(secret.getKey() + " in " + where);
            }
        }
        if (jwt) {
            Matcher m = JWT.matcher(text);
            if (m.find()) {
                findings.add("a JWT (" + m.group().substring(0, 12) + "…) in " + where);
            }
        }
    }

    /** The longest base64 line of a PEM key: distinctive, and what a leak would show. */
    private static String keyBody(String pem) {
        return pem.lines()
                .filter(l -> !l.startsWith("-----"))
                .max((a, b) -> Integer.compare(a.length(), b.length()))
                .orElseThrow();
    }
}
