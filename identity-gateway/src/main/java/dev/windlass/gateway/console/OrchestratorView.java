package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** An orchestrator as the registry describes it; credentials only as "set" flags, never their values. */
@TemplateData
public record OrchestratorView(
        String id,
        String name,
        String description,
        String environment,
        String type,
        String apiServerUrl,
        String authType,
        boolean tokenSet,
        boolean clientCertificateSet,
        boolean clientKeySet,
        boolean caCertificateSet,
        boolean skipTlsVerify,
        String metalLbIpRange,
        String authentikOutpostUrl,
        String defaultNamespace,
        List<String> allowedGroups,
        List<DestinationView> destinations,
        ConnectionView connection,
        long version,
        String deletionRequestedBy,
        String deletionStopped) {

    /** Who asked to delete it once its apps are undeployed, or null when nobody did. */
    private static String deletionRequestedBy(JsonObject deletion) {
        if (deletion == null) {
            return null;
        }
        JsonObject by = deletion.getJsonObject("requestedBy", new JsonObject());
        return by.getString("username", by.getString("subject", "someone"));
    }

    /** Whether its apps are being undeployed before it is deleted (or that stopped). */
    public boolean beingDeleted() {
        return deletionRequestedBy != null;
    }

    /** Maps the registry's JSON. */
    public static OrchestratorView from(JsonObject json) {
        List<String> groups = new ArrayList<>();
        for (Object group : json.getJsonArray("allowedGroups", new JsonArray())) {
            groups.add(String.valueOf(group));
        }
        return new OrchestratorView(
                json.getString("id"),
                json.getString("name"),
                json.getString("description", ""),
                json.getString("environment"),
                json.getString("type"),
                json.getString("apiServerUrl", ""),
                json.getString("authType"),
                json.getBoolean("tokenSet", false),
                json.getBoolean("clientCertificateSet", false),
                json.getBoolean("clientKeySet", false),
                json.getBoolean("caCertificateSet", false),
                json.getBoolean("skipTlsVerify", false),
                json.getString("metalLbIpRange", ""),
                json.getString("authentikOutpostUrl", ""),
                json.getString("defaultNamespace", ""),
                List.copyOf(groups),
                DestinationView.all(json.getJsonArray("destinations", new JsonArray())),
                ConnectionView.from(json.getJsonObject("connection", new JsonObject())),
                json.getLong("version", 0L),
                deletionRequestedBy(json.getJsonObject("deletion")),
                json.getJsonObject("deletion") == null
                        ? null
                        : json.getJsonObject("deletion").getString("stopped"));
    }

    /**
     * The destinations as the form shows them, one per line ({@code team-a-*, shop: team-a}); empty when they are
     * just the allowed groups everywhere, which the allowed-groups field shows.
     */
    public String destinationsText() {
        if (destinations.size() == 1
                && destinations.get(0).namespaces().equals(List.of("*"))
                && destinations.get(0).groups().equals(allowedGroups)) {
            return "";
        }
        return String.join(
                "\n", destinations.stream().map(DestinationView::text).toList());
    }

    /** The allowed groups as the form shows them: comma-separated. */
    public String groupsText() {
        return String.join(", ", allowedGroups);
    }
}
