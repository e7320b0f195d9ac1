package dev.windlass.registry.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An open change stream, its {@code data:} lines read on a thread of their own. */
public final class ChangeStream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChangeStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(() -> {
            try {
                response.body()
                        .filter(line -> line.startsWith("data:"))
                        .forEach(line -> data.add(line.substring(5).strip()));
            } catch (RuntimeException closed) {
                // the stream was closed
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    public static ChangeStream open(URI uri, String token) throws IOException, InterruptedException {
        return new ChangeStream(HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    /** The next event, within ten seconds. */
    public JsonNode next() throws Exception {
        String line = data.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("an event within 10 s").isNotNull();
        return JSON.readTree(line);
    }

    /**
     * The next event about one of the orchestrators {@code ids} other than their connection checks, skipping other
     * orchestrators' (the periodic checks of other tests').
     */
    public JsonNode nextAbout(String... ids) throws Exception {
        List<String> wanted = List.of(ids);
        while (true) {
            JsonNode event = next();
            if (wanted.contains(event.path("orchestratorId").asText())
                    && !"CONNECTION_CHANGED".equals(event.path("change").asText())) {
                return event;
            }
        }
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
