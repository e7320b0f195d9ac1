package dev.windlass.registry.rest;

import dev.windlass.registry.domain.AuditEntry;
import dev.windlass.registry.service.Page;
import java.util.List;

/** One page of audit entries, newest first, with the total across all pages. */
public record AuditPage(List<AuditEntryResponse> items, int page, int size, long total) {

    static AuditPage of(Page<AuditEntry> page) {
        return new AuditPage(
                page.items().stream().map(AuditEntryResponse::from).toList(), page.page(), page.size(), page.total());
    }
}
