package dev.windlass.registry.rest;

import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.service.Page;
import java.util.List;

/** One page of orchestrators, with the total across all pages. */
public record OrchestratorPage(List<OrchestratorResponse> items, int page, int size, long total) {

    static OrchestratorPage of(Page<Orchestrator> page) {
        return new OrchestratorPage(
                page.items().stream().map(OrchestratorResponse::from).toList(), page.page(), page.size(), page.total());
    }
}
