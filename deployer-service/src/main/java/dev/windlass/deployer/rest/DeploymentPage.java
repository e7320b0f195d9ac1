package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.QueryService.Page;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of deployments, newest first. */
@Schema(name = "DeploymentPage")
public record DeploymentPage(List<DeploymentResponse> items, int page, int size, long total) {

    static DeploymentPage from(Page page) {
        return new DeploymentPage(
                page.items().stream().map(DeploymentResponse::summary).toList(),
                page.page(),
                page.size(),
                page.total());
    }
}
