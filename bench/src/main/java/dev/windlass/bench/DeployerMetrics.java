package dev.windlass.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployer's own count of its requests to API servers, read from its {@code /q/metrics}
 * ({@code windlass_kubernetes_requests_total}, by HTTP method): how many requests a deploy costs the API server,
 * next to the direct leg's one per object.
 */
final class DeployerMetrics {

    private static final Pattern REQUESTS =
            Pattern.compile("^windlass_kubernetes_requests_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)$");
    private static final Pattern METHOD = Pattern.compile("method=\"([^\"]+)\"");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DeployerMetrics() {}

    /** Requests so far by method (statuses summed). */
    static Map<String, Double> requests(String deployerUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(deployerUrl + "/q/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the deployer's metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> byMethod = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher m = REQUESTS.matcher(line.strip());
            if (m.matches()) {
                Matcher method = METHOD.matcher(m.group(1));
                byMethod.merge(method.find() ? method.group(1) : "?", Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return byMethod;
    }

    /** {@code (after - before) / n} by method, and their sum under "all". */
    static Map<String, Double> perDeploy(Map<String, Double> before, Map<String, Double> after, int n) {
        Map<String, Double> per = new TreeMap<>();
        double all = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (d > 0) {
                per.put(e.getKey(), Summary.round(d / n));
                all += d;
            }
        }
        per.put("all", Summary.round(all / n));
        return per;
    }
}
