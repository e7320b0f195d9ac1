package dev.windlass.deployer.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of an image update: the image the app's newest revision is applied again with. */
@Schema(name = "ImageUpdateRequest")
public record ImageUpdateBody(
        @Schema(
                required = true,
                description = "[registry[:port]/]repository[:tag][@sha256:digest]",
                examples = "ghcr.io/example/storefront:1.4.2")
        String image) {}
