package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonObject;

/** What an app's last registry poll found, and when it polls next. */
@TemplateData
public record ImagePollView(String polledAt, String outcome, String nextPollAt) {

    /** Maps the deployer's {@code …/image-updates/poll}. */
    public static ImagePollView from(JsonObject json) {
        return new ImagePollView(
                json.getString("polledAt", ""), json.getString("outcome", ""), json.getString("nextPollAt", ""));
    }
}
