package dev.windlass.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The repository's files and the chart, rendered and linted offline through Helm as a library. */
final class ChartFixture {

    static final String RELEASE = "windlass";
    /** The Kubernetes version of the dev-stack API server. */
    static final String TEST_KUBE_VERSION = "1.20.2";

    private static final ObjectMapper YAML = new YAMLMapper();

    private ChartFixture() {}

    /** The repository root. */
    static Path repo() {
        String root = System.getProperty("windlass.repo.root");
        Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("k8s/helm/windlass"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root with k8s/helm/windlass not found");
        }
        return dir.toAbsolutePath().normalize();
    }

    static Path chart() {
        return repo().resolve("k8s/helm/windlass");
    }

    static Path prodValues() {
        return chart().resolve("ci/prod-values.yaml");
    }

    static Path operationsDoc() {
        return repo().resolve("docs/operations.md");
    }

    /** `helm template` of the chart, as the manifest text (hooks are not part of it). */
    static String template(String namespace, String kubeVersion, List<Path> valuesFiles, Map<String, String> sets) {
        return template(chart(), namespace, kubeVersion, valuesFiles, sets);
    }

    static String template(
            Path chartDir, String namespace, String kubeVersion, List<Path> valuesFiles, Map<String, String> sets) {
        TemplateCommand command = new Helm(chartDir)
                .template()
                .withName(RELEASE)
                .withNamespace(namespace)
                .withKubeVersion(kubeVersion);
        for (Path values : valuesFiles) {
            command = command.withValuesFile(values);
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    /**
     * `helm template` including the hooks (the `helm test` pod, secrets generated at install), which
     * Helm as a library leaves out: a copy of the chart without the hook annotations is rendered.
     */
    static String templateWithHooks(
            String namespace, String kubeVersion, List<Path> valuesFiles, Map<String, String> sets) {
        Path copy = copyChart();
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.removeIf(line -> line.strip().startsWith("helm.sh/hook"));
                Files.write(file, lines, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template(copy, namespace, kubeVersion, valuesFiles, sets);
    }

    /** `helm lint --strict` with the chart's own values. */
    static LintResult lint() {
        return new Helm(chart()).lint().strict().call();
    }

    /**
     * `helm lint --strict` with more values: Helm as a library lints only a chart's own values, so a
     * copy of the chart gets the given values merged into its values.yaml, as `helm lint -f` would.
     */
    static LintResult lint(Path valuesFile, Map<String, Object> overrides) {
        Path copy = copyChart();
        try {
            Map<String, Object> values = readMap(copy.resolve("values.yaml"));
            if (valuesFile != null) {
                deepMerge(values, readMap(valuesFile));
            }
            deepMerge(values, overrides);
            Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    /** The objects of a rendered manifest. */
    static List<HasMetadata> objects(String manifest) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> document : documents(manifest)) {
            objects.add(Serialization.unmarshal(Serialization.asJson(document), HasMetadata.class));
        }
        return objects;
    }

    /** The YAML documents of a rendered manifest, as maps (empty documents dropped). */
    static List<Map<String, Object>> documents(String manifest) {
        try (var parser = new YAMLFactory().createParser(manifest)) {
            List<Map<String, Object>> documents = new ArrayList<>();
            var iterator = YAML.readValues(parser, new TypeReference<Map<String, Object>>() {});
            while (iterator.hasNext()) {
                Map<String, Object> document = iterator.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(o -> (T) o).toList();
    }

    static Map<String, Object> readMap(Path file) throws IOException {
        Map<String, Object> map = YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        return map == null ? new LinkedHashMap<>() : map;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> target, Map<String, Object> source) {
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            Object existing = target.get(entry.getKey());
            if (existing instanceof Map<?, ?> existingMap && entry.getValue() instanceof Map<?, ?> sourceMap) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existingMap);
                deepMerge(merged, (Map<String, Object>) sourceMap);
                target.put(entry.getKey(), merged);
            } else {
                target.put(entry.getKey(), entry.getValue());
            }
        }
    }

    private static Path copyChart() {
        try {
            Path target = Files.createTempDirectory("windlass-chart-").resolve("windlass");
            try (Stream<Path> files = Files.walk(chart())) {
                for (Path source : files.toList()) {
                    Path destination = target.resolve(chart().relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    } else {
                        Files.copy(source, destination);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
