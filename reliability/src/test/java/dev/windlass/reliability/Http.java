package dev.windlass.reliability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP client of the reliability suite. Every answer's status, headers and body is appended to one transcript
 * file, so that the secret scan reads everything any service said during the run.
 */
public final class Http implements AutoCloseable {

    /** One answer. */
    public record Answer(int status, Map<String, java.util.List<String>> headers, String body, long nanos) {

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        public String contentType() {
            return header("content-type").orElse("");
        }

        public boolean isProblem() {
            return contentType().startsWith("application/problem+json");
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final Path transcript;
    private final BufferedWriter writer;

    Http(Path transcript) {
        this.transcript = transcript;
        try {
            Files.createDirectories(transcript.getParent());
            this.writer = Files.newBufferedWriter(transcript, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The transcript of every answer so far. */
    public Path transcript() {
        synchronized (writer) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return transcript;
    }

    /** A request builder for {@code url} with the bearer token (none when null) and a 30 s timeout. */
    public static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Answer get(String url, String token) throws IOException, InterruptedException {
        return send(request(url, token).GET().build());
    }

    public Answer json(String method, String url, String token, String body) throws IOException, InterruptedException {
        return send(request(url, token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** Sends and records the answer. */
    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return record(request, response, System.nanoTime() - begin);
    }

    /** Sends without waiting; the answer is recorded when it comes. */
    public CompletableFuture<Answer> sendAsync(HttpRequest request) {
        long begin = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> record(request, response, System.nanoTime() - begin));
    }

    private Answer record(HttpRequest request, HttpResponse<String> response, long nanos) {
        Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body(), nanos);
        synchronized (writer) {
            try {
                writer.write(request.method() + " " + request.uri() + " -> " + answer.status() + "\n");
                for (var header : answer.headers().entrySet()) {
                    writer.write(header.getKey() + ": " + String.join(", ", header.getValue()) + "\n");
                }
                writer.write(answer.body() == null ? "" : answer.body());
                writer.write("\n\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return answer;
    }

    @Override
    public void close() {
        synchronized (writer) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
