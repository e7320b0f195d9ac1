package dev.windlass.deployer.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.service.ValidationFailedException;
import dev.windlass.events.validation.UnknownFields;
import dev.windlass.events.validation.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Strict field validation of every JSON body, as Kubernetes does: a field the body's type does not have, at any
 * depth ({@code spec.privileged}, a misspelt {@code spec.replica}), is refused with 400 before the body is read,
 * each one named with rule {@code unknown-field} and, when close, the field meant. Jackson alone would drop it.
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
        List<Violation> unknown = UnknownFields.inBody(mapper, body, context.getGenericType());
        if (!unknown.isEmpty()) {
            throw new ValidationFailedException(UnknownFields.summary(unknown), unknown);
        }
        return context.proceed();
    }

    static boolean isJson(MediaType type) {
        return type != null
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }
}
