package dev.windlass.deployer.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** How Windlass reaches a registry it polls: the account to sign in with, and whether it answers plain HTTP only. */
@Schema(name = "ImageRegistryRequest")
public record ImageRegistryBody(
        @Schema(
                description = "The account's user name; absent for a registry read anonymously",
                examples = "windlass-bot")
        String username,

        @Schema(
                description = "Its password or access token; required with username, write-only: never returned",
                writeOnly = true)
        String password,

        @Schema(
                description = "Whether the registry answers plain HTTP only (a registry on a private network); false"
                        + " unless set")
        Boolean plainHttp) {}
