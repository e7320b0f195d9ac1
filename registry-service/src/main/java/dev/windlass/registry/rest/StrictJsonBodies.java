package dev.windlass.registry.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.validation.UnknownFields;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Strict field validation of every JSON body, as Kubernetes does: a field the body's type does not have (a
 * misspelt {@code skipTLSVerify}, a {@code password} the API never takes) is refused with 400 before the body is
 * read, each one named with rule {@code unknown-field} and, when close, the field meant. Jackson alone would drop it.
 */
@Provider
public class StrictJsonBodies implements ReaderInterceptor {

    private final ObjectMapper mapper;

    public StrictJsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        List<dev.windlass.events.validation.Violation> unknown =
                UnknownFields.inBody(mapper, body, context.getGenericType());
        if (!unknown.isEmpty()) {
            // this service's messages name their field, as in "size must be at most 100"
            List<Violation> violations = unknown.stream()
                    .map(v -> new Violation(v.path(), v.rule(), v.path() + ": " + v.message()))
                    .toList();
            throw new ValidationFailedException(UnknownFields.summary(unknown), violations);
        }
        return context.proceed();
    }

    static boolean isJson(MediaType type) {
        return type != null
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }
}
