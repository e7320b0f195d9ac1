package dev.windlass.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.devstack.KafkaAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;

/**
 * The Kafka grants are defined once, in dev-stack's {@link KafkaAccess}; the table of docs/security.md and the
 * compose init script k8s/compose/kafka-init.sh repeat them and must say exactly the same. Rows are (principal,
 * resource, name, operations), the external request producers standing as {@value KafkaAccess#CI_PIPELINE}.
 */
class KafkaAclTableTest {

    private static final Pattern ASSIGNMENT = Pattern.compile("^([a-z]+)=([A-Za-z0-9._-]+)$");
    private static final Pattern VARIABLE = Pattern.compile("\"\\$([a-z_]+)\"");

    @Test
    void theDocumentedTableIsKafkaAccess() {
        List<List<String>> documented =
                DocTable.rows(ChartFixture.repo().resolve("docs/security.md"), "kafka-acl-table");

        assertThat(documented)
                .as("docs/security.md should list exactly these rows:%n%s", markdown(defined()))
                .containsExactlyInAnyOrderElementsOf(defined());
    }

    @Test
    void theComposeInitScriptGrantsKafkaAccess() throws IOException {
        List<String> script = scriptLines();

        List<List<String>> granted = new ArrayList<>();
        for (String line : script) {
            if (line.startsWith("allow ")) {
                granted.add(grant(line));
            }
        }
        assertThat(granted).containsExactlyInAnyOrderElementsOf(defined());
    }

    @Test
    void theComposeInitScriptMakesAUserForEachPrincipal() throws IOException {
        Set<String> users = scriptLines().stream()
                .filter(line -> line.startsWith("user "))
                .map(line -> line.split("\\s+")[1])
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(users)
                .containsExactlyInAnyOrderElementsOf(
                        KafkaAccess.windlass().passwords().keySet());
        assertThat(scriptLines())
                .contains("topic windlass.deploy.requests.v1 --config message.timestamp.type=LogAppendTime");
    }

    /** KafkaAccess's ACLs as table rows, one per principal and resource, operations in their order. */
    private static List<List<String>> defined() {
        Map<List<String>, List<String>> rows = new LinkedHashMap<>();
        for (AclBinding acl : KafkaAccess.windlass().acls()) {
            String resource = acl.pattern().resourceType().name().toLowerCase(Locale.ROOT)
                    + (acl.pattern().patternType() == PatternType.PREFIXED ? " prefix" : "");
            List<String> key = List.of(
                    acl.entry().principal().replaceFirst("^User:", ""),
                    resource,
                    acl.pattern().name());
            String operation = acl.entry().operation().name();
            rows.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(operation.charAt(0) + operation.substring(1).toLowerCase(Locale.ROOT));
        }
        return rows.entrySet().stream()
                .map(row -> {
                    List<String> cells = new ArrayList<>(row.getKey());
                    cells.add(String.join(", ", row.getValue()));
                    return List.copyOf(cells);
                })
                .toList();
    }

    /** kafka-init.sh with its variables resolved ($name, the producer loop's variable, as ci-pipeline). */
    private static List<String> scriptLines() throws IOException {
        List<String> raw = Files.readAllLines(ChartFixture.repo().resolve("k8s/compose/kafka-init.sh"));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("name", KafkaAccess.CI_PIPELINE);
        for (String line : raw) {
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), assignment.group(2));
            }
        }
        return raw.stream()
                .map(String::strip)
                .map(line -> VARIABLE.matcher(line).replaceAll(m -> {
                    String value = variables.get(m.group(1));
                    return value == null ? Matcher.quoteReplacement(m.group()) : value;
                }))
                .toList();
    }

    /** One "allow <principal> --topic|--group <name> [--resource-pattern-type prefixed] --operation <op>..." line. */
    private static List<String> grant(String line) {
        String[] words = line.split("\\s+");
        String resource = null;
        String name = null;
        boolean prefixed = false;
        List<String> operations = new ArrayList<>();
        for (int i = 2; i < words.length; i += 2) {
            switch (words[i]) {
                case "--topic", "--group" -> {
                    resource = words[i].substring(2);
                    name = words[i + 1];
                }
                case "--resource-pattern-type" -> prefixed = words[i + 1].equals("prefixed");
                case "--operation" -> operations.add(words[i + 1]);
                default -> throw new IllegalArgumentException("unexpected " + words[i] + " in: " + line);
            }
        }
        return List.of(words[1], resource + (prefixed ? " prefix" : ""), name, String.join(", ", operations));
    }

    private static String markdown(List<List<String>> rows) {
        return rows.stream()
                .map(r -> "| `" + r.get(0) + "` | " + r.get(1) + " | `" + r.get(2) + "` | " + r.get(3) + " |")
                .collect(Collectors.joining("\n"));
    }
}
