package dev.windlass.registry.rest;

import dev.windlass.common.problem.ProblemDetail;
import dev.windlass.registry.service.Violation;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's shared parts: bearer security and one problem response per error status. */
@OpenAPIDefinition(
        info = @Info(title = "Windlass registry-service", version = "1"),
        security = @SecurityRequirement(name = "bearer"),
        components =
                @Components(
                        securitySchemes =
                                @SecurityScheme(
                                        securitySchemeName = "bearer",
                                        type = SecuritySchemeType.HTTP,
                                        scheme = "bearer",
                                        bearerFormat = "JWT"),
                        // the shared Problem body lists violations of any shape; the registry's are these
                        schemas = @Schema(name = "Violation", implementation = Violation.class),
                        responses = {
                            @APIResponse(
                                    name = "Problem400",
                                    description = "Invalid request: violations name each field and" + " rule",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem401",
                                    description = "No valid bearer token",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem403",
                                    description = "The token's roles do not allow this",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem404",
                                    description = "Not found",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem409",
                                    description = "Conflict: the name is taken",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem412",
                                    description = "If-Match does not name the current version",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem428",
                                    description = "If-Match is required",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class))),
                            @APIResponse(
                                    name = "Problem500",
                                    description = "Unexpected failure (details only in the log)",
                                    content =
                                            @Content(
                                                    mediaType = ProblemDetail.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ProblemDetail.class)))
                        }))
public class OpenApiDocument extends Application {}
