package dev.windlass.deployer.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.common.rest.StrictJsonReader;
import dev.windlass.deployer.service.ValidationFailedException;
import dev.windlass.events.validation.Violation;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** The deployer's strict JSON bodies ({@link StrictJsonReader}): unknown fields are a 400 validation problem. */
@Provider
public class StrictJsonBodies extends StrictJsonReader {

    public StrictJsonBodies(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    protected RuntimeException refusal(String summary, List<Violation> unknown) {
        return new ValidationFailedException(summary, unknown);
    }
}
