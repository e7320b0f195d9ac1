package dev.windlass.deployer.rest;

import dev.windlass.deployer.service.ImageApprovals;
import dev.windlass.deployer.service.ImagePolls;
import dev.windlass.deployer.service.NotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** An app's image updates that wait, or waited, for approvals, and approving them. */
@Path("/api/apps/{orchestrator}/{namespace}/{app}/image-updates")
@Tag(name = "Apps")
@Produces(MediaType.APPLICATION_JSON)
public class ImageUpdateResource {

    private final ImageApprovals approvals;
    private final ImagePolls polls;
    private final CurrentCaller caller;

    public ImageUpdateResource(ImageApprovals approvals, ImagePolls polls, CurrentCaller caller) {
        this.approvals = approvals;
        this.polls = polls;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The app's image updates that wait or waited for approvals, newest first, with their approvals",
            description = "Only apps whose spec.imageUpdates.approvals asks for approvals have any. See docs/api.md.")
    @APIResponse(responseCode = "403", description = "The namespace is not one of your destinations")
    public Uni<List<ImageUpdateResponse>> list(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app) {
        return approvals
                .ofApp(caller.get(), orchestrator, namespace, app)
                .map(list -> list.stream().map(ImageUpdateResponse::from).toList());
    }

    @GET
    @Path("poll")
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "The app's registry poll: when it last asked, what it found, when it asks next",
            description = "Only apps whose spec.imageUpdates.poll is set poll. See docs/api.md.")
    @APIResponse(responseCode = "404", description = "The app has never polled its registry")
    public Uni<ImagePolls.PollState> poll(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app) {
        return polls.pollOf(caller.get(), orchestrator, namespace, app)
                .map(state -> state.orElseThrow(
                        () -> new NotFoundException(namespace + "/" + app + " has never polled its registry")));
    }

    @POST
    @Path("{id}/approvals")
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "Approve a pending image update",
            description = "By a member of one of its approver groups, once per person; the last approval needed"
                    + " requests the update (deploymentId). See docs/api.md.")
    @APIResponse(responseCode = "200", description = "Approved; status APPROVED and deploymentId once enough are given")
    @APIResponse(responseCode = "403", description = "You are in none of the groups that may approve it")
    @APIResponse(responseCode = "404", description = "The app has no such image update")
    @APIResponse(responseCode = "409", description = "It was approved already or expired")
    public Uni<ImageUpdateResponse> approve(
            @RestPath String orchestrator, @RestPath String namespace, @RestPath String app, @RestPath UUID id) {
        return approvals.approve(caller.get(), orchestrator, namespace, app, id).map(ImageUpdateResponse::from);
    }
}
