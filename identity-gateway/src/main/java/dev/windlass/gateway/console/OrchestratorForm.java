package dev.windlass.gateway.console;

import io.quarkus.qute.TemplateData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.List;

/**
 * The add/edit orchestrator form: what the user typed (credentials excepted: they are write-only and never shown
 * again) and the registry request it makes. On edit an empty credential keeps the stored one.
 */
@TemplateData
public record OrchestratorForm(
        String id,
        long version,
        String name,
        String description,
        String environment,
        String type,
        String apiServerUrl,
        String authType,
        boolean skipTlsVerify,
        String metalLbIpRange,
        String authentikOutpostUrl,
        String defaultNamespace,
        String allowedGroups,
        String destinations,
        boolean tokenSet,
        boolean clientCertificateSet,
        boolean clientKeySet,
        boolean caCertificateSet) {

    /** Choices of the selects, in the order shown. */
    public static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");

    public static final List<String> TYPES = List.of("K3S", "K8S", "EKS", "GKE", "AKS");

    public static final List<String> AUTH_TYPES = List.of("TOKEN", "CERTIFICATE", "IN_CLUSTER");

    /** An empty form for a new orchestrator. */
    public static OrchestratorForm empty() {
        return new OrchestratorForm(
                null, 0, "", "", "dev", "K8S", "", "TOKEN", false, "", "", "default", "", "", false, false, false,
                false);
    }

    /** The form for editing {@code o}. */
    public static OrchestratorForm of(OrchestratorView o) {
        return new OrchestratorForm(
                o.id(),
                o.version(),
                o.name(),
                o.description(),
                o.environment(),
                o.type(),
                o.apiServerUrl(),
                o.authType(),
                o.skipTlsVerify(),
                o.metalLbIpRange(),
                o.authentikOutpostUrl(),
                o.defaultNamespace(),
                o.destinationsText().isEmpty() ? o.groupsText() : "",
                o.destinationsText(),
                o.tokenSet(),
                o.clientCertificateSet(),
                o.clientKeySet(),
                o.caCertificateSet());
    }

    /** The form as posted; {@code stored} (may be null) supplies id, version and the "set" flags on edit. */
    public static OrchestratorForm posted(MultivaluedMap<String, String> form, OrchestratorView stored) {
        return new OrchestratorForm(
                stored == null ? null : stored.id(),
                parseVersion(form.getFirst("version")),
                text(form, "name"),
                text(form, "description"),
                text(form, "environment"),
                text(form, "type"),
                text(form, "apiServerUrl"),
                text(form, "authType"),
                form.containsKey("skipTlsVerify"),
                text(form, "metalLbIpRange"),
                text(form, "authentikOutpostUrl"),
                text(form, "defaultNamespace"),
                text(form, "allowedGroups"),
                text(form, "destinations"),
                stored != null && stored.tokenSet(),
                stored != null && stored.clientCertificateSet(),
                stored != null && stored.clientKeySet(),
                stored != null && stored.caCertificateSet());
    }

    /** The registry request: credentials only when typed in (an empty one keeps the stored value on edit). */
    public static JsonObject request(MultivaluedMap<String, String> form) {
        JsonObject json = new JsonObject()
                .put("name", text(form, "name"))
                .put("environment", text(form, "environment"))
                .put("type", text(form, "type"))
                .put("authType", text(form, "authType"))
                .put("skipTlsVerify", form.containsKey("skipTlsVerify"));
        optional(json, form, "description");
        optional(json, form, "metalLbIpRange");
        optional(json, form, "authentikOutpostUrl");
        optional(json, form, "defaultNamespace");
        if (!"IN_CLUSTER".equals(text(form, "authType"))) {
            optional(json, form, "apiServerUrl");
        }
        switch (text(form, "authType")) {
            case "TOKEN" -> optional(json, form, "token");
            case "CERTIFICATE" -> {
                optional(json, form, "clientCertificatePem");
                optional(json, form, "clientKeyPem");
            }
            default -> {}
        }
        if (!"IN_CLUSTER".equals(text(form, "authType"))) {
            optional(json, form, "caCertificatePem");
        }
        if (!text(form, "destinations").isBlank()) {
            // the destinations name their groups; the registry refuses both at once
            json.put("destinations", DestinationView.parse(text(form, "destinations")));
            return json;
        }
        JsonArray groups = new JsonArray();
        Arrays.stream(text(form, "allowedGroups").split("[,\\n]"))
                .map(String::strip)
                .filter(group -> !group.isEmpty())
                .forEach(groups::add);
        json.put("allowedGroups", groups);
        return json;
    }

    /** Whether this form edits a stored orchestrator. */
    public boolean editing() {
        return id != null;
    }

    /** Where the form posts. */
    public String action() {
        return editing() ? Paths.CONSOLE + "/orchestrators/" + id : Paths.CONSOLE + "/orchestrators";
    }

    /** Label of the token field: whether one is stored, and that an empty field keeps it. */
    public String tokenLabel() {
        return tokenSet ? "Bearer token (set — leave empty to keep)" : "Bearer token (TOKEN)";
    }

    public String certificateLabel() {
        return clientCertificateSet
                ? "Client certificate, PEM (set — leave empty to keep)"
                : "Client certificate, PEM (CERTIFICATE)";
    }

    public String keyLabel() {
        return clientKeySet ? "Client key, PEM (set — leave empty to keep)" : "Client key, PEM (CERTIFICATE)";
    }

    public String caLabel() {
        return caCertificateSet ? "CA certificate, PEM (set — leave empty to keep)" : "CA certificate, PEM (optional)";
    }

    public List<String> environments() {
        return ENVIRONMENTS;
    }

    public List<String> types() {
        return TYPES;
    }

    public List<String> authTypes() {
        return AUTH_TYPES;
    }

    private static void optional(JsonObject json, MultivaluedMap<String, String> form, String field) {
        String value = text(form, field);
        if (!value.isEmpty()) {
            json.put(field, value);
        }
    }

    static String text(MultivaluedMap<String, String> form, String field) {
        String value = form.getFirst(field);
        return value == null ? "" : value.strip();
    }

    private static long parseVersion(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
