package dev.windlass.registry.rest;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/** Gives every secured operation the 401, 403 and 500 problem responses, replacing generic ones. */
public class ProblemResponsesFilter implements OASFilter {

    private static final Map<String, String> COMMON = Map.of(
            "401", "#/components/responses/Problem401",
            "403", "#/components/responses/Problem403",
            "500", "#/components/responses/Problem500");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") || path.startsWith("/internal/")) {
                operations(item).forEach(this::addProblems);
            }
        });
    }

    private void addProblems(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        for (Map.Entry<String, String> entry : COMMON.entrySet()) {
            responses.addAPIResponse(
                    entry.getKey(), OASFactory.createAPIResponse().ref(entry.getValue()));
        }
    }

    private static java.util.Collection<Operation> operations(PathItem item) {
        return item.getOperations() == null
                ? java.util.List.of()
                : item.getOperations().values();
    }
}
