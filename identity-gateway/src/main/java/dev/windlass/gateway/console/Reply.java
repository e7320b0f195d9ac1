package dev.windlass.gateway.console;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A service's answer to one console call: status, ETag and body text (a problem+json body for errors). */
public record Reply(int status, String etag, String body) {

    /** An answer as received. */
    public static Reply of(int status, String etag, String body) {
        return new Reply(status, etag, body == null ? "" : body);
    }

    /** An answer the gateway makes up when the service could not be asked. */
    public static Reply failure(int status, String detail) {
        return new Reply(
                status,
                null,
                new JsonObject().put("status", status).put("detail", detail).encode());
    }

    /** Whether the service said yes (2xx). */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as a JSON object; empty when it is none. */
    public JsonObject json() {
        try {
            Object value = body.isBlank() ? null : io.vertx.core.json.Json.decodeValue(body);
            return value instanceof JsonObject object ? object : new JsonObject();
        } catch (DecodeException e) {
            return new JsonObject();
        }
    }

    /** The body as a JSON array; empty when it is none. */
    public JsonArray array() {
        try {
            Object value = body.isBlank() ? null : io.vertx.core.json.Json.decodeValue(body);
            return value instanceof JsonArray array ? array : new JsonArray();
        } catch (DecodeException e) {
            return new JsonArray();
        }
    }

    /** The problem this answer describes (meaningful when not {@link #ok()}). */
    public Problem problem() {
        return Problem.from(status, json());
    }
}
