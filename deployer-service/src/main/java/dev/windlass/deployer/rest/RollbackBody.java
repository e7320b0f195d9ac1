package dev.windlass.deployer.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of a rollback: the revision whose spec is applied again. */
@Schema(name = "RollbackRequest")
public record RollbackBody(
        @Schema(required = true, examples = "2") Integer revision) {}
