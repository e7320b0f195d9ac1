package dev.windlass.common.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;

/** Builds problem responses; each service's exception mappers decide the detail. */
public final class Problems {

    private Problems() {}

    /** A {@code application/problem+json} response of {@code entry} for the request path {@code instance}. */
    public static Response response(ProblemEntry entry, String instance, String detail, List<?> violations) {
        ProblemDetail body =
                new ProblemDetail(entry.type(), entry.title(), entry.status(), detail, instance, violations);
        return Response.status(entry.status())
                .type(ProblemDetail.MEDIA_TYPE)
                .entity(body)
                .build();
    }

    /** {@code response} with the {@code WWW-Authenticate: Bearer} challenge of a 401. */
    public static Response challenge(Response response) {
        return Response.fromResponse(response)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    /** The JSON path of a mapping failure as the API names fields ({@code spec.ports[1].containerPort}), or empty. */
    public static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
