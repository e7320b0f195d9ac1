package dev.windlass.deployer.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.deployer.config.DeployerConfig;
import dev.windlass.deployer.service.ImageUpdates;
import dev.windlass.deployer.service.ImageUpdates.Outcome;
import dev.windlass.deployer.service.ImageWebhooks;
import dev.windlass.deployer.service.ImageWebhooks.Call;
import dev.windlass.deployer.service.ImageWebhooks.Format;
import dev.windlass.deployer.service.NotFoundException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Registries say here that an image was pushed ({@link ImageWebhooks} lists the formats and how each proves the shared
 * secret); every app whose image update policy takes it is updated. No user token: the secret is the credential.
 */
@Path("/hooks/images/{format}")
@Tag(name = "Image webhooks")
public class ImageWebhookResource {

    private final ImageWebhooks webhooks;
    private final ImageUpdates updates;
    private final Optional<String> secret;

    public ImageWebhookResource(ObjectMapper json, ImageUpdates updates, DeployerConfig config) {
        this.webhooks = new ImageWebhooks(json);
        this.updates = updates;
        this.secret = config.imageUpdates().webhookSecret().filter(s -> !s.isBlank());
    }

    /**
     * What a call made: how many pushes it reported, how many apps are being updated for them and how many updates
     * wait for approvals.
     */
    @Schema(name = "ImagePushesReceived")
    public record Received(int pushes, int updating, int awaitingApproval) {}

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Say that an image was pushed (distribution, harbor, github, dockerhub or cloudevents)",
            description = "Each app whose newest revision runs an image of the pushed repository and whose"
                    + " spec.imageUpdates.policy takes the tag gets an image-only update. See docs/api.md.")
    @APIResponse(responseCode = "202", description = "Read; the apps that take the image are being updated")
    @APIResponse(
            responseCode = "400",
            description = "The body is not what the format sends; the problem names the field")
    @APIResponse(responseCode = "401", description = "The secret is missing or wrong, or the signature does not match")
    @APIResponse(responseCode = "404", description = "No such format, or webhooks are off (no secret configured)")
    public Uni<Response> receive(@RestPath String format, @RestQuery String token, HttpHeaders headers, byte[] body) {
        if (secret.isEmpty()) {
            throw new NotFoundException(
                    "image webhooks are off: windlass.deployer.image-updates.webhook-secret is not set");
        }
        Format known = Format.named(format)
                .orElseThrow(() -> new NotFoundException("no image webhook format " + format
                        + "; there are distribution, harbor, github, dockerhub" + " and cloudevents"));
        List<ImageUpdates.Push> pushes = webhooks.read(
                known, new Call(body == null ? new byte[0] : body, headers::getHeaderString, token), secret.get());
        return Multi.createFrom()
                .iterable(pushes)
                .onItem()
                .transformToUniAndConcatenate(updates::pushed)
                .collect()
                .asList()
                .map(results -> Response.accepted(new Received(
                                pushes.size(),
                                count(results, Outcome.UPDATING),
                                count(results, Outcome.AWAITING_APPROVAL)))
                        .build());
    }

    private static int count(List<List<ImageUpdates.Result>> results, Outcome outcome) {
        return (int) results.stream()
                .flatMap(List::stream)
                .filter(r -> r.outcome() == outcome)
                .count();
    }
}
