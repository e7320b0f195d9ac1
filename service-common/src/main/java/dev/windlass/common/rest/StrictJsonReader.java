package dev.windlass.common.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.events.validation.UnknownFields;
import dev.windlass.events.validation.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Strict field validation of every JSON body, as Kubernetes does: a field the body's type does not have, at any
 * depth (a misspelt {@code skipTLSVerify}, {@code spec.privileged}, {@code spec.replica}), is refused with 400 before
 * the body is read, each one named with rule {@code unknown-field} and, when close, the field meant. Jackson alone
 * would drop it. Each service registers a {@code @Provider} subclass that says how its API refuses a body.
 */
public abstract class StrictJsonReader implements ReaderInterceptor {

    private final ObjectMapper mapper;

    protected StrictJsonReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The exception the service's problem mapper turns into a 400 naming each unknown field. */
    protected abstract RuntimeException refusal(String summary, List<Violation> unknown);

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        List<Violation> unknown = UnknownFields.inBody(mapper, body, context.getGenericType());
        if (!unknown.isEmpty()) {
            throw refusal(UnknownFields.summary(unknown), unknown);
        }
        return context.proceed();
    }

    static boolean isJson(MediaType type) {
        return type != null
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
    }
}
