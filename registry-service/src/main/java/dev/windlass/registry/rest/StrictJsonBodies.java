package dev.windlass.registry.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.rest.StrictJsonReader;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.Violation;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** The registry's strict JSON bodies ({@link StrictJsonReader}): unknown fields are a 400 validation problem. */
@Provider
public class StrictJsonBodies extends StrictJsonReader {

    public StrictJsonBodies(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    protected RuntimeException refusal(String summary, List<dev.windlass.events.validation.Violation> unknown) {
        // this service's messages name their field, as in "size must be at most 100"
        List<Violation> violations = unknown.stream()
                .map(v -> new Violation(v.path(), v.rule(), v.path() + ": " + v.message()))
                .toList();
        return new ValidationFailedException(summary, violations);
    }
}
